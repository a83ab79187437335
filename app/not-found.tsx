import Link from "next/link";

export const metadata = { title: "Not found" };

export default function NotFound() {
  return (
    <div className="max-w-xl space-y-3">
      <h1 className="text-2xl font-semibold">Page not found</h1>
      <p>
        There is nothing at this address. If you followed a link to a device, its id is not a valid Intune device id:
        find the device by name, user or serial number instead.
      </p>
      <p className="flex gap-4">
        <Link href="/devices/windows" className="text-brand-text underline">
          Search Windows devices
        </Link>
        <Link href="/" className="text-brand-text underline">
          Go home
        </Link>
      </p>
    </div>
  );
}
