import { part29 } from "./part29";
// One of the many small modules of a real page (a load has to fetch them all).
export function part28(): number {
  return part29() + 28;
}
