import { part08 } from "./part08";
// One of the many small modules of a real page (a load has to fetch them all).
export function part07(): number {
  return part08() + 7;
}
