interface User {
  age: number;
}
const u: User = { age: "three" };
const count: number = "three";
export { u, count };
