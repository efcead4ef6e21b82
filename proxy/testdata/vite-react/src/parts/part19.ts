import { part20 } from "./part20";
// One of the many small modules of a real page (a load has to fetch them all).
export function part19(): number {
  return part20() + 19;
}
