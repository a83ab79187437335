import { Suspense } from "react";
import { PageHeader } from "@/components/shell/breadcrumbs";
import { MonitorView } from "@/components/monitor/monitor-view";

export const metadata = { title: "Device actions" };

export default function DeviceActionsPage() {
  return (
    <>
      <PageHeader
        title="Monitor | Device actions"
        crumbs={[{ label: "Home", href: "/" }, { label: "Devices", href: "/devices" }, { label: "Monitor" }, { label: "Device actions" }]}
      />
      <Suspense fallback={<p className="text-muted">Loading device actions…</p>}>
        <MonitorView />
      </Suspense>
    </>
  );
}
