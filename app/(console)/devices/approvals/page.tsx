import { PageHeader } from "@/components/shell/breadcrumbs";
import { ApprovalsView } from "@/components/approvals/approvals-view";

export const metadata = { title: "Approvals" };

export default function ApprovalsPage() {
  return (
    <>
      <PageHeader
        title="Multi Admin Approval | Approvals"
        crumbs={[{ label: "Home", href: "/" }, { label: "Devices", href: "/devices" }, { label: "Approvals" }]}
      />
      <ApprovalsView />
    </>
  );
}
