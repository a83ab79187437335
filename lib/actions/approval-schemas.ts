/**
 * Input schemas for Multi Admin Approval (kept out of the "use server" files, which may export only actions). A
 * justification is checked by lib/devices/approval.ts, the same check the browser runs before it sends anything.
 */
import { z } from "zod";
import { GUID_PATTERN } from "@/lib/devices/ids";
import { checkJustification, MAX_JUSTIFICATION_CHARS, MAX_RESET_JUSTIFICATION_CHARS } from "@/lib/devices/approval";

/** Only keeps absurd payloads out of the check; the check's own sentence names the real limit. */
const RAW_MAX = 100_000;

function justificationSchema(max: number, purpose: "request" | "decision") {
  return z
    .string({ message: "The justification must be text." })
    .max(RAW_MAX, { message: `The justification is far too long; Intune accepts at most ${max} characters.` })
    .transform((raw, ctx) => {
      const check = checkJustification(raw, max, purpose);
      if (check.ok) return check.text;
      ctx.addIssue({ code: "custom", message: check.message });
      return z.NEVER;
    });
}

export const approvalIdSchema = z
  .string({ message: "An approval request id is required." })
  .regex(GUID_PATTERN, { message: "An approval request id is a GUID." });

/** What the requester wrote for a reset (the device prefix is added by the server). */
export const resetJustificationSchema = justificationSchema(MAX_RESET_JUSTIFICATION_CHARS, "request");
/** What an approver writes with a decision. */
export const decisionJustificationSchema = justificationSchema(MAX_JUSTIFICATION_CHARS, "decision");
