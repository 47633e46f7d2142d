/**
 * @module
 * OTLP's protobuf encoding (`application/x-protobuf`), the default of the OpenTelemetry SDKs and
 * of the OpenTelemetry Collector's `otlphttp` exporter. A request is decoded by protobufjs from
 * the schema below and turned into the very shape of the OTLP JSON encoding (lowerCamelCase
 * keys, 64-bit integers as decimal strings, bytes as base64), so both encodings are read by one
 * parser (`parseOtlpLogs`, `parseOtlpMetrics` in otlp.ts) and mean the same.
 *
 * The schema holds the messages and fields buildcast reads, numbered as opentelemetry-proto
 * numbers them (logs/v1, metrics/v1, common/v1, resource/v1, collector/{logs,metrics}/v1, and
 * google.rpc.Status for errors). A field left out here (trace and span ids, exemplars, …) is
 * skipped by its wire type, as protobuf readers skip every field they do not know. Package names
 * never reach the wire, so the messages share one package.
 */
import protobuf from 'protobufjs';

const SCHEMA = `
syntax = "proto3";
package otlp;

message ExportLogsServiceRequest { repeated ResourceLogs resource_logs = 1; }
message ExportLogsServiceResponse { ExportLogsPartialSuccess partial_success = 1; }
message ExportLogsPartialSuccess {
  int64 rejected_log_records = 1;
  string error_message = 2;
}
message ResourceLogs {
  Resource resource = 1;
  repeated ScopeLogs scope_logs = 2;
  string schema_url = 3;
}
message ScopeLogs {
  InstrumentationScope scope = 1;
  repeated LogRecord log_records = 2;
  string schema_url = 3;
}
message LogRecord {
  fixed64 time_unix_nano = 1;
  fixed64 observed_time_unix_nano = 11;
  int32 severity_number = 2;
  string severity_text = 3;
  AnyValue body = 5;
  repeated KeyValue attributes = 6;
  uint32 dropped_attributes_count = 7;
  fixed32 flags = 8;
  string event_name = 12;
}

message ExportMetricsServiceRequest { repeated ResourceMetrics resource_metrics = 1; }
message ExportMetricsServiceResponse { ExportMetricsPartialSuccess partial_success = 1; }
message ExportMetricsPartialSuccess {
  int64 rejected_data_points = 1;
  string error_message = 2;
}
message ResourceMetrics {
  Resource resource = 1;
  repeated ScopeMetrics scope_metrics = 2;
  string schema_url = 3;
}
message ScopeMetrics {
  InstrumentationScope scope = 1;
  repeated Metric metrics = 2;
  string schema_url = 3;
}
message Metric {
  string name = 1;
  string description = 2;
  string unit = 3;
  oneof data {
    Gauge gauge = 5;
    Sum sum = 7;
    Histogram histogram = 9;
  }
}
enum AggregationTemporality {
  AGGREGATION_TEMPORALITY_UNSPECIFIED = 0;
  AGGREGATION_TEMPORALITY_DELTA = 1;
  AGGREGATION_TEMPORALITY_CUMULATIVE = 2;
}
message Gauge { repeated NumberDataPoint data_points = 1; }
message Sum {
  repeated NumberDataPoint data_points = 1;
  AggregationTemporality aggregation_temporality = 2;
  bool is_monotonic = 3;
}
message Histogram {
  repeated HistogramDataPoint data_points = 1;
  AggregationTemporality aggregation_temporality = 2;
}
message NumberDataPoint {
  repeated KeyValue attributes = 7;
  fixed64 start_time_unix_nano = 2;
  fixed64 time_unix_nano = 3;
  oneof value {
    double as_double = 4;
    sfixed64 as_int = 6;
  }
  uint32 flags = 8;
}
message HistogramDataPoint {
  repeated KeyValue attributes = 9;
  fixed64 start_time_unix_nano = 2;
  fixed64 time_unix_nano = 3;
  fixed64 count = 4;
  double sum = 5;
  uint32 flags = 10;
}

message AnyValue {
  oneof value {
    string string_value = 1;
    bool bool_value = 2;
    int64 int_value = 3;
    double double_value = 4;
    ArrayValue array_value = 5;
    KeyValueList kvlist_value = 6;
    bytes bytes_value = 7;
  }
}
message ArrayValue { repeated AnyValue values = 1; }
message KeyValueList { repeated KeyValue values = 1; }
message KeyValue {
  string key = 1;
  AnyValue value = 2;
}
message InstrumentationScope {
  string name = 1;
  string version = 2;
  repeated KeyValue attributes = 3;
  uint32 dropped_attributes_count = 4;
}
message Resource {
  repeated KeyValue attributes = 1;
  uint32 dropped_attributes_count = 2;
}

message Status {
  int32 code = 1;
  string message = 2;
}
`;

/**
 * The OTLP messages buildcast knows, as a protobufjs root (`otlp.ExportLogsServiceRequest`, …),
 * for anything that has to write them as an exporter would.
 */
export const otlpSchema: protobuf.Root = protobuf.parse(SCHEMA, { keepCase: false }).root;

/** The two OTLP signals buildcast receives. */
export type OtlpSignal = 'logs' | 'metrics';

const REQUEST = {
  logs: otlpSchema.lookupType('otlp.ExportLogsServiceRequest'),
  metrics: otlpSchema.lookupType('otlp.ExportMetricsServiceRequest'),
};
const RESPONSE = {
  logs: otlpSchema.lookupType('otlp.ExportLogsServiceResponse'),
  metrics: otlpSchema.lookupType('otlp.ExportMetricsServiceResponse'),
};
const REJECTED = { logs: 'rejectedLogRecords', metrics: 'rejectedDataPoints' } as const;
const STATUS = otlpSchema.lookupType('otlp.Status');

/**
 * As the JSON encoding writes it. Defaults are written out because proto3 cannot tell an unset
 * field from a zero one: an absent `is_monotonic` is false, an absent time is 0 (unset), as the
 * OTLP specification reads them. Oneof members (AnyValue, a point's value) appear only when sent.
 */
const AS_JSON: protobuf.IConversionOptions = { longs: String, bytes: String, defaults: true };

export type OtlpProtobufDecode = { ok: true; body: unknown } | { ok: false; problem: string };

/**
 * An `ExportLogsServiceRequest` or `ExportMetricsServiceRequest` in the OTLP JSON shape, ready for
 * `parseOtlpLogs` or `parseOtlpMetrics`; a body that is not one (truncated, a wrong
 * wire type, nested deeper than protobufjs' recursion limit) is a problem, never an exception.
 */
export function decodeOtlpProtobuf(signal: OtlpSignal, bytes: Uint8Array): OtlpProtobufDecode {
  const type = REQUEST[signal];
  try {
    return { ok: true, body: type.toObject(type.decode(bytes), AS_JSON) };
  } catch (error) {
    return { ok: false, problem: `not a protobuf ${type.name}: ${(error as Error).message}` };
  }
}

/**
 * The answer to an export: `ExportLogsServiceResponse` or `ExportMetricsServiceResponse`, with
 * `partial_success` saying what was rejected, and left unset (an empty message) when nothing was.
 */
export function encodeOtlpResponse(
  signal: OtlpSignal,
  rejected: number,
  errorMessage: string,
): Uint8Array<ArrayBuffer> {
  const type = RESPONSE[signal];
  const partial =
    rejected === 0 && errorMessage === ''
      ? {}
      : { partialSuccess: { [REJECTED[signal]]: rejected, errorMessage } };
  return owned(type.encode(type.fromObject(partial)).finish());
}

/**
 * A `google.rpc.Status`, the body of an OTLP/HTTP error answer in the protobuf encoding. OTLP
 * leaves `code` to the HTTP status; the message is what an exporter logs.
 */
export function encodeOtlpStatus(message: string): Uint8Array<ArrayBuffer> {
  return owned(STATUS.encode(STATUS.fromObject({ message })).finish());
}

/** The bytes in an array of their own (protobufjs may hand out a view of a shared pool). */
const owned = (bytes: Uint8Array): Uint8Array<ArrayBuffer> => new Uint8Array(bytes);
