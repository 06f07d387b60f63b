/**
 * Whether an object can be collected: a full garbage collection (V8's, exposed at run time in a
 * fresh context, so no command-line flag is needed), then its WeakRef is asked.
 */
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";

setFlagsFromString("--expose-gc");
const gc = runInNewContext("gc") as () => void;

/** True once nothing holds `ref`'s object: collected within a few full collections. */
export async function isCollected(ref: WeakRef<object>): Promise<boolean> {
  for (let attempt = 0; attempt < 5; attempt++) {
    // A WeakRef's object is kept until the current job ends: let it end first.
    await new Promise((resolve) => setImmediate(resolve));
    gc();
    if (ref.deref() === undefined) return true;
  }
  return false;
}
