import { Suspense } from "react";
import { PageHeader } from "@/components/shell/breadcrumbs";
import { WindowsDevicesView } from "@/components/devices/windows-devices-view";

export const metadata = { title: "Windows devices" };

export default function WindowsDevicesPage() {
  return (
    <>
      <PageHeader
        title="Windows | Windows devices"
        crumbs={[{ label: "Home", href: "/" }, { label: "Devices", href: "/devices" }, { label: "Windows" }]}
      />
      <Suspense fallback={<p className="text-muted">Loading devices…</p>}>
        <WindowsDevicesView />
      </Suspense>
    </>
  );
}
