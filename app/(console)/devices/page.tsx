import { PageHeader } from "@/components/shell/breadcrumbs";
import { PlatformOverview } from "@/components/devices/platform-overview";

export const metadata = { title: "Devices" };

export default function DevicesOverviewPage() {
  return (
    <>
      <PageHeader title="Devices | Overview" crumbs={[{ label: "Home", href: "/" }, { label: "Devices" }]} />
      <PlatformOverview />
    </>
  );
}
