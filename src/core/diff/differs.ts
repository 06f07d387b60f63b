/** Every category's differ: the structural kinds and the code kinds. */
import type { Differs } from "./types.js";
import { codeDiffers } from "./kinds/code.js";
import { structureDiffers } from "./kinds/structure.js";

export const differs: Differs = { ...structureDiffers, ...codeDiffers };
