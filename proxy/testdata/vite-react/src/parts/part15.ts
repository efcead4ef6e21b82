import { part16 } from "./part16";
// One of the many small modules of a real page (a load has to fetch them all).
export function part15(): number {
  return part16() + 15;
}
