import { part19 } from "./part19";
// One of the many small modules of a real page (a load has to fetch them all).
export function part18(): number {
  return part19() + 18;
}
