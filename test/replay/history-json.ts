import { createRequire } from 'node:module';
import type { History } from '@temporalio/common/lib/proto-utils';
import * as proto from '@temporalio/proto';
import { patchProtobufRoot } from '@temporalio/proto/lib/patch-protobuf-root';

/**
 * History ⇄ ProtoJSON, the format of the SDK's `historyToJSON`/`historyFromJSON` and of Temporal's tools.
 *
 * Why not those two: in this install each @temporalio package has its own copy of protobufjs 8 (the top-level
 * protobufjs is grpc's 7), and `@temporalio/common`'s protojson rejects the History type of `@temporalio/proto`'s
 * copy ("type must be a Type"); the replay worker fails the same way on JSON input. So the conversion uses the
 * protojson of the protobufjs that `@temporalio/proto` itself loads, and the replay worker gets History objects.
 * Once protobufjs 8 is deduplicated (one copy at the top), `historyToJSON`/`historyFromJSON` can replace this.
 */
interface ProtoJson {
  // The ProtoJSON value of a message is untyped by nature; callers treat it as `unknown`.
  toJson(type: unknown, message: unknown, options?: object): unknown;
  fromJson(type: unknown, json: unknown, options?: object): unknown;
}

const protojson = createRequire(require.resolve('@temporalio/proto'))('protobufjs/ext/protojson') as ProtoJson;
// The generated module's types omit the reflection API that the patched root has at run time.
const root = patchProtobufRoot(proto as unknown as Record<string, unknown>) as unknown as { lookupType(name: string): unknown };
const historyType = root.lookupType('temporal.api.history.v1.History');

export function historyToJson(history: History): string {
  return JSON.stringify(protojson.toJson(historyType, proto.temporal.api.history.v1.History.fromObject(history)), null, 2);
}

/** A History from its parsed JSON; the same options as the SDK's reader (fields of newer servers are skipped). */
export function historyFromJson(json: unknown): History {
  if (typeof json !== 'object' || json === null || !Array.isArray((json as { events?: unknown }).events)) {
    throw new TypeError('expected an object with an array of events');
  }
  return protojson.fromJson(historyType, json, { ignoreUnknownFields: true }) as History;
}
