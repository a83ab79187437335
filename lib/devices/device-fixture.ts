/** A valid Windows Autopilot device for tests, with overrides. Not used by the app itself. */
import type { Device } from "./types";

export const FIXTURE_NOW = new Date("2026-11-21T12:00:00.000Z");

export function makeDevice(overrides: Partial<Device> = {}): Device {
  return {
    id: "0f8fad5b-d9cb-469f-a165-70867728950e",
    deviceName: "DESKTOP-7QK2M4P",
    managedDeviceName: "ada_Windows_11/21/2026_9:00 AM",
    userPrincipalName: "ada.lovelace@contoso.com",
    userDisplayName: "Ada Lovelace",
    operatingSystem: "Windows",
    osVersion: "10.0.22631.4460",
    complianceState: "compliant",
    ownerType: "company",
    joinType: "azureADJoined",
    autopilotEnrolled: true,
    managementState: "managed",
    lastSyncDateTime: "2026-11-21T11:30:00.000Z",
    enrolledDateTime: "2025-02-03T08:00:00.000Z",
    serialNumber: "PF3XK9QZ",
    manufacturer: "LENOVO",
    model: "ThinkPad T14 Gen 4",
    azureADDeviceId: "9a1b2c3d-1111-4222-8333-944455556666",
    enrollmentProfileName: null,
    deviceActionResults: [],
    ...overrides,
  };
}
