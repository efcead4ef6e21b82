import { part24 } from "./part24";
// One of the many small modules of a real page (a load has to fetch them all).
export function part23(): number {
  return part24() + 23;
}
