"use client";

import { Component, type ReactNode } from "react";

/**
 * For a part of a page that is a courtesy, not the page's job (the reset watcher's notices): if it fails, most often
 * because its code could not be loaded while the server was restarting, it shows nothing instead of replacing the
 * whole page with the error page. The page's own views of its devices keep working.
 */
export class QuietBoundary extends Component<{ name: string; children: ReactNode }, { failed: boolean }> {
  state = { failed: false };

  static getDerivedStateFromError(): { failed: boolean } {
    return { failed: true };
  }

  componentDidCatch(error: unknown): void {
    console.warn(`[${this.props.name}] stopped: ${(error as { name?: unknown })?.name ?? typeof error}`);
  }

  render(): ReactNode {
    return this.state.failed ? null : this.props.children;
  }
}
