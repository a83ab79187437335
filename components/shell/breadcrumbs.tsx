import Link from "next/link";
import { ChevronRight } from "lucide-react";

export interface Crumb {
  label: string;
  href?: string;
}

function Breadcrumbs({ items }: { items: Crumb[] }) {
  return (
    <nav aria-label="Breadcrumb" className="text-sm">
      <ol className="flex flex-wrap items-center gap-1 text-muted">
        {items.map((item, index) => {
          const last = index === items.length - 1;
          return (
            <li key={`${item.label}-${index}`} className="flex items-center gap-1">
              {item.href && !last ? (
                <Link href={item.href} className="text-brand-text hover:underline">
                  {item.label}
                </Link>
              ) : (
                <span aria-current={last ? "page" : undefined}>{item.label}</span>
              )}
              {!last && <ChevronRight aria-hidden="true" className="size-3" />}
            </li>
          );
        })}
      </ol>
    </nav>
  );
}

export function PageHeader({ title, crumbs, children }: { title: string; crumbs: Crumb[]; children?: React.ReactNode }) {
  return (
    <div className="mb-4 space-y-1">
      <Breadcrumbs items={crumbs} />
      <h1 className="text-2xl font-semibold">{title}</h1>
      {children}
    </div>
  );
}
