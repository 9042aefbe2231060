// How a TypeScript application calls the package: type-checked against the declarations
// wasm-pack generated (`./dev test` runs `tsc` on it). The only TypeScript in the repository;
// it does not ship.
import init, { greet, whyRefused, languages, Language } from "hello-wasm-greetings";

export async function main(): Promise<void> {
  await init();
  const hello: string = greet("Zoë", "de");
  const negotiated: string = greet("Zoë", ["tlh", "de-AT"]);
  const english: string = greet("Zoë");
  const reason: string | undefined = whyRefused(" ");
  const all: Language[] = languages();
  const first: Language = all[0];
  const tag: string = first.tag;
  const name: string = first.name;
  const direction: "ltr" | "rtl" = first.direction;
  // What the declarations must refuse: each line below is an error, or tsc fails.
  // @ts-expect-error: a language's fields are read-only
  first.tag = "fr";
  // @ts-expect-error: languages are a tag or a list of tags
  greet("Zoë", 42);
  // @ts-expect-error: a direction is "ltr" or "rtl"
  const sideways: "ttb" = first.direction;
  try {
    greet("");
  } catch (error) {
    console.log((error as Error).message);
  }
  console.log(hello, negotiated, english, reason, tag, name, direction, sideways);
}
