import type { ReactNode } from "react";
import { CircleAlert, CircleCheck, Info, TriangleAlert } from "lucide-react";

const STYLES = {
  info: { box: "border-brand/40 bg-info-bg", Icon: Info, icon: "text-brand-text" },
  warning: { box: "border-warning/40 bg-warning-bg", Icon: TriangleAlert, icon: "text-warning" },
  error: { box: "border-danger/40 bg-danger-bg", Icon: CircleAlert, icon: "text-danger" },
  success: { box: "border-success/40 bg-success-bg", Icon: CircleCheck, icon: "text-success" },
} as const;

/** A message bar like the admin center's: an icon, a sentence, optionally an action. */
export function Notice({
  tone,
  children,
  role,
  className = "",
  testId,
}: {
  tone: keyof typeof STYLES;
  children: ReactNode;
  role?: "status" | "alert";
  className?: string;
  testId?: string;
}) {
  const { box, Icon, icon } = STYLES[tone];
  return (
    <div role={role} data-testid={testId} className={`flex items-start gap-2 rounded border px-3 py-2 text-sm ${box} ${className}`}>
      <Icon aria-hidden="true" className={`mt-0.5 size-4 shrink-0 ${icon}`} />
      <div className="min-w-0 flex-1">{children}</div>
    </div>
  );
}
