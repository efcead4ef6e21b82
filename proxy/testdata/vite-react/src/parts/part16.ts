import { part17 } from "./part17";
// One of the many small modules of a real page (a load has to fetch them all).
export function part16(): number {
  return part17() + 16;
}
