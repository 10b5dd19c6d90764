/**
 * Where the project lives. Every package.json's repository, homepage and bugs, the CLI's --help,
 * the SARIF tool's informationUri and the ESLint rule's docs.url all point into this repository
 * (a test holds them to it), so a link printed by an installed package names a file that exists.
 */
export const REPOSITORY_URL = 'https://github.com/ka-codemod/ka-codemod';

/** A file of the repository's default branch, as a browsable URL: `repositoryFileUrl('docs/cli.md')`. */
export function repositoryFileUrl(file: string): string {
  return `${REPOSITORY_URL}/blob/main/${file}`;
}
