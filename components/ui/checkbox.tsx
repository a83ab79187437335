"use client";

import * as RadixCheckbox from "@radix-ui/react-checkbox";
import { Check, Minus } from "lucide-react";

export function Checkbox({
  checked,
  onCheckedChange,
  label,
}: {
  checked: boolean | "indeterminate";
  onCheckedChange: () => void;
  label: string;
}) {
  return (
    <RadixCheckbox.Root
      checked={checked}
      onCheckedChange={onCheckedChange}
      aria-label={label}
      className="flex size-4 items-center justify-center rounded-sm border border-line-strong bg-surface data-[state=checked]:border-brand-fill data-[state=checked]:bg-brand-fill data-[state=indeterminate]:border-brand-fill data-[state=indeterminate]:bg-brand-fill"
    >
      <RadixCheckbox.Indicator className="text-white">
        {checked === "indeterminate" ? <Minus className="size-3" aria-hidden="true" /> : <Check className="size-3" aria-hidden="true" />}
      </RadixCheckbox.Indicator>
    </RadixCheckbox.Root>
  );
}
