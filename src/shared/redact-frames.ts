/**
 * @module
 * Redaction applied to everything the overlay is sent (SPEC 5): every text field of a session,
 * its metrics, agents, log lines and plan, and every frame of the wire protocol, through
 * {@link redactText}. Numbers, states and times pass as they are, so counts, phase names and
 * progress still show. Server side only (ids are hashed with node:crypto).
 */
import { parseAnsi } from './ansi.js';
import { contentHash } from './hash.js';
import type { SessionMetrics, TestIteration } from './metrics.js';
import {
  assertNever,
  type Agent,
  type LogLine,
  type PhaseSpan,
  type PlanPhase,
  type PlanTask,
  type ServerMessage,
  type Session,
  type SourceWarning,
} from './protocol.js';
import { redactNullable, redactText } from './redact.js';

const texts = (list: readonly string[]): string[] => list.map(redactText);

/**
 * An id with nothing to hide as it is; otherwise a stable stand-in (`redacted-<hash>`), so frames
 * and pages that name the same session still agree with each other without showing its id.
 */
export function redactId(id: string): string {
  return redactText(id) === id ? id : `redacted-${contentHash(id).slice(0, 12)}`;
}

function redactSpan(span: PhaseSpan): PhaseSpan {
  return { ...span, name: redactText(span.name), number: redactNullable(span.number) };
}

function redactWarning(warning: SourceWarning): SourceWarning {
  return { ...warning, file: redactText(warning.file), reason: redactText(warning.reason) };
}

/** A session with every text field redacted. */
export function redactSession(session: Session): Session {
  return {
    ...session,
    id: redactId(session.id),
    project: redactText(session.project),
    workdir: redactNullable(session.workdir),
    activity: redactNullable(session.activity),
    currentPhase: redactNullable(session.currentPhase),
    phaseNumber: redactNullable(session.phaseNumber),
    phasesCompleted: texts(session.phasesCompleted),
    progressDetail: redactNullable(session.progressDetail),
    phases: session.phases.map(redactSpan),
    warnings: session.warnings.map(redactWarning),
  };
}

function redactIteration(iteration: TestIteration): TestIteration {
  return { ...iteration, failing: texts(iteration.failing) };
}

/** A session's metrics with phase, model and test names redacted. */
function redactMetrics(metrics: SessionMetrics): SessionMetrics {
  const { tokens, context, tests } = metrics;
  return {
    ...metrics,
    sessionId: redactId(metrics.sessionId),
    tokens: {
      ...tokens,
      byPhase: tokens.byPhase.map((slice) => ({ ...slice, phase: redactNullable(slice.phase) })),
      byModel: tokens.byModel.map((slice) => ({ ...slice, model: redactText(slice.model) })),
    },
    context: { ...context, model: redactNullable(context.model) },
    tests: { ...tests, iterations: tests.iterations.map(redactIteration), stuck: texts(tests.stuck) },
  };
}

/** An agent with its names, phase and error redacted. */
export function redactAgent(agent: Agent): Agent {
  return {
    ...agent,
    id: redactId(agent.id),
    sessionId: redactId(agent.sessionId),
    type: redactNullable(agent.type),
    name: redactNullable(agent.name),
    reportedStatus: redactNullable(agent.reportedStatus),
    phase: redactNullable(agent.phase),
    error: redactNullable(agent.error),
    source: redactText(agent.source),
  };
}

/** A line's text without its colours, so that no escape sequence can split a secret from its rule. */
const plainText = (text: string): string =>
  parseAnsi(text)
    .map((segment) => segment.text)
    .join('');

/** Log lines with their text (colours dropped) and source redacted. */
export function redactLogLines(lines: readonly LogLine[]): LogLine[] {
  return lines.map((line) => ({
    ...line,
    text: redactText(plainText(line.text)),
    source: redactText(line.source),
  }));
}

function redactTask(task: PlanTask): PlanTask {
  return {
    ...task,
    id: redactText(task.id),
    name: redactText(task.name),
    dependsOn: texts(task.dependsOn),
    agent: redactNullable(task.agent),
    error: redactNullable(task.error),
    blockedBy: redactNullable(task.blockedBy),
  };
}

/** A phase plan with phase and task names and reasons redacted; other fields kept as they are. */
export function redactPlan<Phase extends PlanPhase>(plan: readonly Phase[]): Phase[] {
  return plan.map((phase) => ({
    ...phase,
    name: redactText(phase.name),
    number: redactNullable(phase.number),
    reason: redactNullable(phase.reason),
    tasks: phase.tasks.map(redactTask),
  }));
}

/** A frame with everything in it that a build wrote redacted. */
export function redactMessage(message: ServerMessage): ServerMessage {
  switch (message.type) {
    case 'hello':
      return { ...message, sessionId: message.sessionId === null ? null : redactId(message.sessionId) };
    case 'snapshot':
      return { ...message, sessions: message.sessions.map(redactSession) };
    case 'session':
      return { ...message, session: redactSession(message.session) };
    case 'metrics':
      return { ...message, metrics: redactMetrics(message.metrics) };
    case 'agent':
      return { ...message, agent: redactAgent(message.agent) };
    case 'log':
      return { ...message, sessionId: redactId(message.sessionId), lines: redactLogLines(message.lines) };
    case 'plan':
      return { ...message, sessionId: redactId(message.sessionId), plan: redactPlan(message.plan) };
    case 'error':
      return { ...message, message: redactText(message.message) };
    case 'heartbeat':
    case 'pong':
    case 'backfill':
      return message;
    default:
      return assertNever(message);
  }
}
