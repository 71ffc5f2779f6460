/** Lists an organization's repositories (every page) and applies the archived/fork/disabled filters. */
import type { GitHubClient } from "./client.js";

/** What org-scan needs to know about one repository. */
export interface OrgRepo {
  /** "owner/name". */
  fullName: string;
  /** HTTPS clone URL, without credentials (the token travels in a header, never in a URL). */
  cloneUrl: string;
  archived: boolean;
  fork: boolean;
  /** GitHub disables a repository (billing, abuse): it cannot be cloned. */
  disabled: boolean;
  /** KiB as GitHub reports it; 0 often means empty. */
  sizeKiB: number;
}

export interface RepoFilters {
  /** Default true: an archived repository still serves its history, and the keys in it still work. */
  includeArchived: boolean;
  /** Default false: a fork's history is mostly its upstream's, scanned where it lives. */
  includeForks: boolean;
}

export interface RepoListing {
  /** Repositories to scan, sorted by name so runs and reports are stable. */
  repos: OrgRepo[];
  /** Left out, with the reason ("archived", "fork", "disabled"). */
  skipped: { fullName: string; reason: string }[];
}

const PER_PAGE = 100;

/** Every repository of `org` (all types the token can see), following the `Link` pages. */
export async function listOrgRepos(client: GitHubClient, org: string, filters: RepoFilters): Promise<RepoListing> {
  const repos: OrgRepo[] = [];
  const skipped: RepoListing["skipped"] = [];
  const pages = client.paginate.iterator(client.rest.repos.listForOrg, { org, type: "all", per_page: PER_PAGE });
  for await (const page of pages) {
    for (const r of page.data) {
      const repo: OrgRepo = {
        fullName: r.full_name,
        cloneUrl: r.clone_url ?? "",
        archived: r.archived === true,
        fork: r.fork === true,
        disabled: r.disabled === true,
        sizeKiB: r.size ?? 0,
      };
      const reason = skipReason(repo, filters);
      if (reason) skipped.push({ fullName: repo.fullName, reason });
      else repos.push(repo);
    }
  }
  const byName = (a: { fullName: string }, b: { fullName: string }) => a.fullName.localeCompare(b.fullName);
  return { repos: repos.sort(byName), skipped: skipped.sort(byName) };
}

function skipReason(repo: OrgRepo, filters: RepoFilters): string | null {
  if (repo.disabled) return "disabled";
  if (repo.archived && !filters.includeArchived) return "archived";
  if (repo.fork && !filters.includeForks) return "fork";
  if (!repo.cloneUrl) return "no clone URL";
  return null;
}
