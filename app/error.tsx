"use client";

import Link from "next/link";

/**
 * The last line of defence: something failed that the page did not word itself. No stack trace for the user.
 * It replaces the page, and with it any bulk run the page was driving: that run stops starting requests when its page
 * goes (components/bulk/use-bulk-run.ts), so this says what is true then, whatever was sent before.
 */
export default function ErrorPage({ error, reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <div role="alert" className="max-w-xl space-y-3">
      <h1 className="text-2xl font-semibold">Something went wrong</h1>
      <p>The console hit an unexpected problem showing this page.</p>
      <p>
        Requests already sent to devices still go ahead. If a bulk run was under way on this page, it sends nothing more
        until you resume it: open the page again to see where it stands. Resume checks every device whose answer did not
        arrive before sending anything again.
      </p>
      {error.digest && <p className="text-sm text-muted">Reference for support: {error.digest}</p>}
      <div className="flex gap-3">
        <button type="button" onClick={reset} className="rounded bg-brand-fill px-4 py-2 text-white hover:bg-brand-fill-hover">
          Try again
        </button>
        <Link href="/" className="self-center text-brand-text underline">
          Go home
        </Link>
      </div>
    </div>
  );
}
