/** The differs for code and security: views, functions, triggers, RLS, policies, grants, publications, event triggers, rules, comments. */
import type { Differs } from "../types.js";
import { commentDiffers } from "./comments.js";
import { eventTriggerDiffers } from "./event-triggers.js";
import { functionDiffers } from "./functions.js";
import { policyDiffers } from "./policies.js";
import { privilegeDiffers } from "./privileges.js";
import { publicationDiffers } from "./publications.js";
import { rlsDiffers } from "./rls.js";
import { ruleDiffers } from "./rules.js";
import { triggerDiffers } from "./triggers.js";
import { viewDiffers } from "./views.js";

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
