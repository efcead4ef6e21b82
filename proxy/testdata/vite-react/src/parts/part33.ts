import { part34 } from "./part34";
// One of the many small modules of a real page (a load has to fetch them all).
export function part33(): number {
  return part34() + 33;
}
