import { notFound } from "next/navigation";
import { DeviceView } from "@/components/devices/device-view";
import { isDeviceId } from "@/lib/devices/ids";

export const metadata = { title: "Device" };

export default async function DevicePage({ params }: { params: Promise<{ deviceId: string }> }) {
  const { deviceId } = await params;
  if (!isDeviceId(deviceId)) notFound();
  return <DeviceView deviceId={deviceId} />;
}
