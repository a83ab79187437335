"use client";

import { useRef, useState } from "react";
import dynamic from "next/dynamic";
import { Menu } from "lucide-react";

/**
 * Below 768 px the left navigation is hidden; this button in the top bar opens the same list in a panel
 * (./nav-menu-panel.tsx). The panel's code (Radix's dialog) is not in any page's first load: it loads when the button
 * is first hovered, focused or pressed.
 */
const loadPanel = () => import("./nav-menu-panel").then((module) => module.NavMenuPanel);
const NavMenuPanel = dynamic(loadPanel, { ssr: false });

export function NavMenu() {
  const [open, setOpen] = useState(false);
  const [used, setUsed] = useState(false);
  const button = useRef<HTMLButtonElement>(null);
  return (
    <>
      <button
        ref={button}
        type="button"
        aria-label="Open navigation menu"
        aria-haspopup="dialog"
        aria-expanded={open}
        onPointerEnter={() => void loadPanel()}
        onFocus={() => void loadPanel()}
        onClick={() => {
          setUsed(true);
          setOpen(true);
        }}
        className="rounded p-2 hover:bg-white/15 focus-visible:outline-white md:hidden"
      >
        <Menu aria-hidden="true" className="size-5" />
      </button>
      {used && <NavMenuPanel open={open} onOpenChange={setOpen} returnFocusTo={button} />}
    </>
  );
}
