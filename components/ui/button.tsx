import { forwardRef, type ButtonHTMLAttributes } from "react";

type Variant = "primary" | "secondary" | "toolbar" | "danger";

const VARIANTS: Record<Variant, string> = {
  primary: "bg-brand-fill text-white hover:bg-brand-fill-hover disabled:bg-surface-hover disabled:text-muted",
  secondary: "border border-line-strong bg-surface hover:bg-surface-hover disabled:text-muted",
  toolbar: "text-fg hover:bg-surface-hover disabled:text-muted disabled:hover:bg-transparent",
  danger: "bg-danger text-white hover:opacity-90 disabled:bg-surface-hover disabled:text-muted",
};

export const Button = forwardRef<HTMLButtonElement, ButtonHTMLAttributes<HTMLButtonElement> & { variant?: Variant }>(
  function Button({ variant = "secondary", className = "", type = "button", ...props }, ref) {
    return (
      <button
        ref={ref}
        type={type}
        className={`inline-flex items-center justify-center gap-2 rounded px-3 py-1.5 text-sm disabled:cursor-not-allowed ${VARIANTS[variant]} ${className}`}
        {...props}
      />
    );
  },
);
