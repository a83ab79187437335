/** managedDevices: list, $count and get. */
import { json, type Reply } from "../../http";
import type { EmulatorState } from "../../state";
import type { DeviceRecord } from "../../fleet/device";
import { badRequest, intuneNotFound } from "../errors";
import { context, isReply, parseId, type GraphCall } from "../call";
import { parseSelect } from "../odata";
import { DEVICE_NAVIGATION } from "../resources";
import { countReply, listReply, type Collection } from "./list";

function devices(state: EmulatorState, call: GraphCall): Collection<DeviceRecord> {
  const fleet = state.fleet;
  return {
    entitySet: "deviceManagement/managedDevices",
    schema: state.resources.deviceSchemas[call.version],
    source: {
      length: fleet.devices.length,
      at: (i) => {
        const d = fleet.devices[i];
        return d && !d.deleted ? d : undefined;
      },
    },
    cacheKey: (filterText) => `devices|${call.version}|${filterText}|${fleet.version}`,
    serialize: (d, select, now) => state.resources.serializeDevice(d, { version: call.version, select, singleWithSelect: false, now }),
    navigation: DEVICE_NAVIGATION,
    selectInContext: true,
    orderByFirst: true,
  };
}

export function listDevices(state: EmulatorState, call: GraphCall): Reply {
  return listReply(state, call, devices(state, call));
}

export function countDevices(state: EmulatorState, call: GraphCall): Reply {
  return countReply(state, call, devices(state, call));
}

/** The device a key segment names: 400 for a non-GUID, Intune's 404 for an unknown one. */
export function requireDevice(state: EmulatorState, call: GraphCall, raw: string): DeviceRecord | Reply {
  const id = parseId(raw);
  if (!id) return badRequest(`Invalid key value '${raw}' for the managedDevices segment: a GUID is expected.`, call.ctx);
  const d = state.fleet.get(id);
  if (!d) return intuneNotFound(`managedDevice '${id}'`, call.ctx, call.path);
  return d;
}

export function getDevice(state: EmulatorState, call: GraphCall, params: string[]): Reply {
  const d = requireDevice(state, call, params[0]!);
  if (isReply(d)) return d;
  const select = parseSelect(call.query.get("$select"), state.resources.deviceSchemas[call.version], DEVICE_NAVIGATION);
  const body = state.resources.serializeDevice(d, { version: call.version, select, singleWithSelect: select !== undefined, now: state.clock.now() });
  return json(200, { "@odata.context": context(call, `deviceManagement/managedDevices${select ? `(${select.join(",")})` : ""}/$entity`), ...body });
}
