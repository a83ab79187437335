"use client";

import { useQueryClient, type QueryKey } from "@tanstack/react-query";
import { SLOW_FETCH_MS, useSlowFetch } from "@/lib/queries/use-slow-fetch";
import { Button } from "./button";
import { Notice } from "./notice";

function formatWait(seconds: number): string {
  const minutes = Math.floor(seconds / 60);
  const rest = seconds % 60;
  if (minutes === 0) return `${rest} s`;
  return rest ? `${minutes} min ${rest} s` : `${minutes} min`;
}

/**
 * Says so when a read has been waiting on Graph longer than usual, instead of a "Loading…" that never changes, and
 * offers both ways on: try again (cancel the read and start it over) or keep waiting (hide this until the read ends).
 */
export function SlowReadNotice({
  isFetching,
  queryKey,
  refetch,
  thresholdMs = SLOW_FETCH_MS,
  className,
}: {
  isFetching: boolean;
  /** Cancelled before `refetch`: without that, a refetch of a read that has no data yet joins the hung one. */
  queryKey: QueryKey;
  refetch: () => Promise<unknown>;
  thresholdMs?: number;
  className?: string;
}) {
  const queryClient = useQueryClient();
  const { slow, seconds, keepWaiting, restart } = useSlowFetch(isFetching, thresholdMs);
  if (!slow) return null;

  const tryAgain = async () => {
    await queryClient.cancelQueries({ queryKey });
    restart();
    void refetch();
  };

  return (
    <Notice tone="warning" role="status" className={className} testId="slow-read-notice">
      <p>
        Microsoft Graph is taking longer than usual to answer ({formatWait(seconds)} so far). Keep waiting, or try
        again.
      </p>
      <div className="mt-2 flex gap-2">
        <Button onClick={() => void tryAgain()}>Try again</Button>
        <Button onClick={keepWaiting}>Keep waiting</Button>
      </div>
    </Notice>
  );
}
