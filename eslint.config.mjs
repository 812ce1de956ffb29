import js from "@eslint/js";
import globals from "globals";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["dist/**", "out/**", "node_modules/**", "test-results/**", "test/fixtures/**", "bench/results/**"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "no-console": "off",
    },
  },
  {
    // src/core must stay free of VS Code at run time: only `import type` may name "vscode".
    files: ["src/core/**/*.ts"],
    rules: {
      "@typescript-eslint/no-restricted-imports": [
        "error",
        { paths: [{ name: "vscode", message: "src/core is vscode-free: use `import type` only.", allowTypeImports: true }] },
      ],
    },
  },
  {
    // Extension code logs through the LogOutputChannel, never the console.
    files: ["src/**/*.ts"],
    ignores: ["src/local/**"],
    rules: { "no-console": "error" },
  },
  {
    files: ["**/*.mjs", "**/*.js"],
    languageOptions: { globals: globals.node },
    rules: { "@typescript-eslint/no-require-imports": "off" },
  },
);
