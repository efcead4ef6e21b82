import { x } from "./nope";
console.log(x);
