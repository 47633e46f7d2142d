/**
 * @module
 * Redaction for streaming (SPEC 5, SPEC 7): what a build writes can hold the streamer's home
 * folder, absolute paths, e-mail addresses, URLs with credentials and secrets (API keys, tokens,
 * JWTs), and none of it may reach an overlay on a stream. {@link redactText} replaces each with a
 * visible placeholder and keeps everything else (counts, phase names, "4/7"), so the overlay stays
 * glanceable.
 *
 * Every rule is a regular expression that runs in linear time however hostile the text: each
 * starts with a look-behind that lets it begin only where a run of its characters begins, and no
 * quantifier is followed by another that can match the same characters (so a failed attempt never
 * re-splits what it read). tests/shared/redact.test.ts feeds megabyte-long hostile strings to
 * each rule. Pure, with no Node or DOM types: both builds compile it.
 */

/** What a redacted part is replaced by, so a viewer sees that something was there. */
export const PLACEHOLDERS = {
  path: '[path]',
  email: '[email]',
  url: '[url]',
  secret: '[secret]',
} as const;

type Replacer = (match: string, ...groups: string[]) => string;

interface Rule {
  /** Why the rule exists, for the reader. */
  what: string;
  pattern: RegExp;
  replace: string | Replacer;
}

/** Characters of a path segment after a `/`. */
const SEG = String.raw`[\w.@%+~=,-]`;

/** Base64, base64url and hex alphabets together: the characters of a run that may be a secret. */
const RUN_CHARS = String.raw`A-Za-z0-9+\/_\-`;

/** The kind of a character, as random text mixes them: upper, lower, digit, anything else. */
function kindOf(ch: string): number {
  if (ch >= 'A' && ch <= 'Z') return 0;
  if (ch >= 'a' && ch <= 'z') return 1;
  if (ch >= '0' && ch <= '9') return 2;
  return 3;
}

/** The share of neighbouring characters in `text` that are of different kinds. */
function kindChangeShare(text: string): number {
  let changes = 0;
  for (let i = 1; i < text.length; i++) if (kindOf(text[i - 1]!) !== kindOf(text[i]!)) changes++;
  return text.length > 1 ? changes / (text.length - 1) : 0;
}

/**
 * Whether a run of base64 or hex characters looks like a secret rather than a word, a relative
 * path or an id: 32 or more hex digits mixing digits and letters (a digest, a key), or 32 or more
 * base64 characters with both cases and a digit, `-` or `_`, whose neighbours change kind (upper, lower, digit,
 * other) at least two times in five. Random text does so about two times in three (a 32-character
 * random key falls below two in five about once in a thousand); an identifier in
 * camelCase, a path or a session id about one time in three.
 */
export function isSecretRun(run: string): boolean {
  const body = run.replace(/=+$/, '');
  if (body.length < 32) return false;
  if (/^[0-9a-f]+$/i.test(body)) return /\d/.test(body) && /[a-f]/i.test(body);
  // Both cases and a digit or a base64url mark: a word or a camelCase name alone never passes below.
  if (!/[\d_-]/.test(body) || !/[A-Z]/.test(body) || !/[a-z]/.test(body)) return false;
  return kindChangeShare(body) >= 0.4;
}

/** A path only when it names something: `/7` in "phase 4 /7" is not one. */
const pathUnlessNumber: Replacer = (match) => (/[A-Za-z]/.test(match) ? PLACEHOLDERS.path : match);

/** In order: a URL's credentials before its host could be read as an e-mail address, and so on. */
const RULES: readonly Rule[] = [
  {
    what: 'a URL with credentials (scheme://user:password@host/...)',
    pattern: /(?<![\w+.-])[a-z][\w+.-]*:\/\/[^\s/?#@"'<>`]+@[^\s"'<>`]*/gi,
    replace: PLACEHOLDERS.url,
  },
  {
    what: 'a file URL, a path by another name',
    pattern: /(?<![\w+.-])file:\/\/[^\s"'<>`]*/gi,
    replace: PLACEHOLDERS.path,
  },
  {
    what: 'a JSON Web Token: three base64url parts, the first a JSON object',
    pattern: /(?<![\w-])eyJ[\w-]{8,}\.[\w-]{8,}\.[\w-]*/g,
    replace: PLACEHOLDERS.secret,
  },
  {
    // Also right after a `-` or `_` (`KEY_sk-ant-...`): every alternative needs only a bounded
    // number of characters to succeed, so starting inside a run costs little.
    what: 'API keys by their published prefixes (Anthropic, OpenAI, GitHub, GitLab, Slack, AWS, Google, npm, Hugging Face)',
    pattern:
      /(?<![A-Za-z0-9])(?:sk-ant-[\w-]{8,}|sk-[\w-]{20,}|gh[pousr]_\w{16,}|github_pat_\w{16,}|glpat-[\w-]{16,}|xox[abprs]-[\w-]{10,}|A[KS]IA[A-Z0-9]{16}|AIza[\w-]{30,}|npm_\w{30,}|hf_\w{30,})[\w-]*/g,
    replace: PLACEHOLDERS.secret,
  },
  {
    what: 'an Authorization header value',
    pattern: /\b(Bearer|Basic)[ \t]+[\w.~+/=-]{8,}/gi,
    replace: (_match, scheme = '') => `${scheme} ${PLACEHOLDERS.secret}`,
  },
  {
    what: 'a value given to a name that says it is secret (password=, API_KEY:, "token": "...")',
    pattern:
      /(?<![\w-])([\w-]*?(?:password|passwd|secret|token|api[_-]?key|apikey|access[_-]?key|private[_-]?key|credentials?))(["']?[ \t]*[:=][ \t]*["']?)([^\s"'&,;]{3,})/gi,
    replace: (_match, name = '', separator = '') => `${name}${separator}${PLACEHOLDERS.secret}`,
  },
  {
    what: 'an e-mail address (a package@1.2.3 version is not one: its last label has no letters)',
    pattern: /(?<![\w.%+-])[\w.%+-]+@[a-z\d-]+(?:\.[a-z\d-]+)*\.[a-z]{2,}/gi,
    replace: PLACEHOLDERS.email,
  },
  {
    what: 'a Windows home folder, whose user name may hold spaces',
    pattern: /(?<![\w\\/])[a-z]:[\\/](?:Users|Documents and Settings)[\\/][^\\/\r\n"'<>|]*[^\s"'<>|]*/gi,
    replace: PLACEHOLDERS.path,
  },
  {
    what: 'a Windows path (C:\\... or C:/...) or a network share (\\\\server\\share)',
    pattern: /(?<![\w\\/])(?:[a-z]:[\\/]|\\\\[^\s"'<>|\\]+\\)[^\s"'<>|]*/gi,
    replace: PLACEHOLDERS.path,
  },
  {
    what: 'a home folder by its shell names (~/..., ~user/..., $HOME/..., %USERPROFILE%)',
    pattern: /(?<![\w~/.-])(?:~[\w.-]*\/|\$HOME\b|\$\{HOME\}|%USERPROFILE%|%HOMEPATH%)[^\s"'<>`]*/gi,
    replace: PLACEHOLDERS.path,
  },
  {
    what: 'an absolute path (/home/..., /Users/..., /srv/app/...), not a ratio such as 4/7',
    pattern: new RegExp(String.raw`(?<![\w.~/\\-])/${SEG}+(?:/${SEG}*)*`, 'g'),
    replace: pathUnlessNumber,
  },
  {
    what: 'a long hex or base64 run that looks random (see isSecretRun)',
    pattern: new RegExp(`(?<![${RUN_CHARS}=])[${RUN_CHARS}]{32,}={0,2}`, 'g'),
    replace: (match) => (isSecretRun(match) ? PLACEHOLDERS.secret : match),
  },
];

/**
 * The text with home-folder and absolute paths, e-mail addresses, URLs with credentials and
 * secret-looking strings replaced by {@link PLACEHOLDERS}; everything else as it was. Redacting
 * twice changes nothing more.
 */
export function redactText(text: string): string {
  let out = text;
  for (const rule of RULES) {
    // A fresh `lastIndex` per call: the patterns are global and shared.
    rule.pattern.lastIndex = 0;
    out = out.replace(rule.pattern, rule.replace as Replacer);
  }
  return out;
}

/** {@link redactText} for a value that may be absent. */
export function redactNullable(text: string | null): string | null {
  return text === null ? null : redactText(text);
}
