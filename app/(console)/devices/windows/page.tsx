import { Suspense } from "react";
import { PageHeader } from "@/components/shell/breadcrumbs";
import { WindowsDevicesWithLazyBulk } from "@/components/devices/windows-devices-page";

export const metadata = { title: "Windows devices" };

export default function WindowsDevicesPage() {
  return (
    <>
      <PageHeader
        title="Windows | Windows devices"
        crumbs={[{ label: "Home", href: "/" }, { label: "Devices", href: "/devices" }, { label: "Windows" }]}
      />
      <Suspense fallback={<p className="text-muted">Loading devices…</p>}>
        <WindowsDevicesWithLazyBulk />
      </Suspense>
    </>
  );
}
