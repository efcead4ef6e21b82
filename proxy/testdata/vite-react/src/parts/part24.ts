import { part25 } from "./part25";
// One of the many small modules of a real page (a load has to fetch them all).
export function part24(): number {
  return part25() + 24;
}
