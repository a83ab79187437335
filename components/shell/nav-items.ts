export interface NavItem {
  href: string;
  label: string;
  icon: "home" | "devices" | "windows" | "list" | "monitor" | "approvals";
  children?: NavItem[];
}

/** The left navigation. */
export const NAV_ITEMS: NavItem[] = [
  { href: "/", label: "Home", icon: "home" },
  {
    href: "/devices",
    label: "Devices",
    icon: "devices",
    children: [
      { href: "/devices/windows", label: "Windows", icon: "windows", children: [{ href: "/devices/windows/from-list", label: "Reset from a list", icon: "list" }] },
      { href: "/devices/actions", label: "Device actions", icon: "monitor" },
      { href: "/devices/approvals", label: "Approvals", icon: "approvals" },
    ],
  },
];

/** Whether `pathname` is `href` or below it ("/" only matches itself). */
export function isActivePath(pathname: string, href: string): boolean {
  if (href === "/") return pathname === "/";
  return pathname === href || pathname.startsWith(`${href}/`);
}
