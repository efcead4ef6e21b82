import { part15 } from "./part15";
// One of the many small modules of a real page (a load has to fetch them all).
export function part14(): number {
  return part15() + 14;
}
