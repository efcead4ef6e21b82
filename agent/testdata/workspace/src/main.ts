import { greet } from "./greet";

const count: number = "three";
console.log(greet({ name: "brummer" }));
