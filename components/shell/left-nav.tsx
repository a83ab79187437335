"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import { Activity, House, Laptop, ListChecks, MonitorSmartphone, ShieldCheck } from "lucide-react";
import { isActivePath, NAV_ITEMS, type NavItem } from "./nav-items";

const ICONS = { home: House, devices: MonitorSmartphone, windows: Laptop, list: ListChecks, monitor: Activity, approvals: ShieldCheck } as const;

function NavLink({ item, pathname, depth = 0, onNavigate }: { item: NavItem; pathname: string; depth?: number; onNavigate?: (() => void) | undefined }) {
  const Icon = ICONS[item.icon];
  // The deepest matching entry is the current page; its parents are highlighted more quietly.
  const exact = item.children?.some((child) => isActivePath(pathname, child.href)) ? false : isActivePath(pathname, item.href);
  return (
    <li>
      <Link
        href={item.href}
        onClick={onNavigate}
        aria-current={exact ? "page" : undefined}
        className={`flex items-center gap-3 border-l-4 py-2 pr-3 text-sm hover:bg-surface-hover ${depth === 0 ? "pl-3" : depth === 1 ? "pl-9" : "pl-14"} ${
          exact ? "border-brand bg-selected font-semibold" : "border-transparent"
        }`}
      >
        <Icon aria-hidden="true" className="size-4 shrink-0 text-brand-text" />
        <span>{item.label}</span>
      </Link>
      {item.children && (
        <ul>
          {item.children.map((child) => (
            <NavLink key={child.href} item={child} pathname={pathname} depth={depth + 1} onNavigate={onNavigate} />
          ))}
        </ul>
      )}
    </li>
  );
}

/** Every page of NAV_ITEMS, the current one marked: the left navigation and the phone's menu show the same list. */
export function NavList({ onNavigate }: { onNavigate?: () => void }) {
  const pathname = usePathname() ?? "/";
  return (
    <ul>
      {NAV_ITEMS.map((item) => (
        <NavLink key={item.href} item={item} pathname={pathname} onNavigate={onNavigate} />
      ))}
    </ul>
  );
}

/** From 768 px up; below, the top bar's menu (nav-menu.tsx) holds the same list. */
export function LeftNav() {
  return (
    <nav aria-label="Main" className="w-56 shrink-0 border-r border-line bg-nav py-2 max-md:hidden">
      <NavList />
    </nav>
  );
}
