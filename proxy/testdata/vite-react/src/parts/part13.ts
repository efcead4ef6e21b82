import { part14 } from "./part14";
// One of the many small modules of a real page (a load has to fetch them all).
export function part13(): number {
  return part14() + 13;
}
