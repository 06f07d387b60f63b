/** The differs for code and security: views, functions, triggers, RLS, policies, grants, publications, event triggers, rules, comments. */
import type { Differs, ObjectChange } from "../types.js";
import { commentDiffers } from "./comments.js";
import { eventTriggerDiffers } from "./event-triggers.js";
import { functionDiffers, needsRecreate } from "./functions.js";
import { policyDiffers } from "./policies.js";
import { privilegeDiffers } from "./privileges.js";
import { publicationDiffers } from "./publications.js";
import { rlsDiffers } from "./rls.js";
import { ruleDiffers } from "./rules.js";
import { triggerDiffers } from "./triggers.js";
import { viewDiffers, viewRecreated } from "./views.js";

export const codeDiffers: Differs = {
  ...viewDiffers,
  ...functionDiffers,
  ...triggerDiffers,
  ...rlsDiffers,
  ...policyDiffers,
  ...privilegeDiffers,
  ...publicationDiffers,
  ...eventTriggerDiffers,
  ...ruleDiffers,
  ...commentDiffers,
};

/**
 * Whether a changed view or function cannot be changed in place (CREATE OR REPLACE refuses it),
 * so the planner drops and creates it again, with what depends on it.
 */
export function codeObjectRecreated(change: ObjectChange): boolean {
  const { from, to } = change;
  if (!from || !to) return false;
  if (change.category === "views") return viewRecreated(from, to);
  if (change.category === "functions") return needsRecreate(from, to);
  return false;
}
