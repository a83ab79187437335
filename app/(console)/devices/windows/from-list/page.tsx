import { Suspense } from "react";
import { PageHeader } from "@/components/shell/breadcrumbs";
import { TicketPage } from "@/components/ticket/ticket-page";

export const metadata = { title: "Reset from a list" };

export default function ResetFromListPage() {
  return (
    <>
      <PageHeader
        title="Windows | Reset from a list"
        crumbs={[{ label: "Home", href: "/" }, { label: "Devices", href: "/devices" }, { label: "Windows", href: "/devices/windows" }, { label: "Reset from a list" }]}
      />
      <Suspense fallback={<p className="text-muted">Loading…</p>}>
        <TicketPage />
      </Suspense>
    </>
  );
}
