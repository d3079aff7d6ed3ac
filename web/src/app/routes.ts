/**
 * The app's screens. Each loads its own code on first visit (code splitting), so the reporter's phone never
 * downloads the review desk, the admin screens or the public dashboard.
 *
 * Public screens (the dashboard, issue 6) have `access: "public"`; the others are for signed-in roles.
 */
import type { ComponentType } from "react";
import type { Role } from "../../../src/core/vocabulary.js";

export interface ScreenProps {
  params: Record<string, string>;
}

export interface Screen {
  pattern: string;
  title: string;
  /** Who may open it; the API enforces the same roles, this only spares people a screen of errors. */
  access: "public" | Role;
  load: () => Promise<{ default: ComponentType<ScreenProps> }>;
}

export const SCREENS: Screen[] = [
  { pattern: "/", title: "Tally", access: "public", load: () => import("../dashboard/Overview.js") },
  {
    pattern: "/incidents",
    title: "Incidents",
    access: "public",
    load: () => import("../dashboard/IncidentsPage.js"),
  },
  {
    pattern: "/incidents/:id",
    title: "Incident",
    access: "public",
    load: () => import("../dashboard/IncidentPage.js"),
  },
  {
    pattern: "/sources",
    title: "Sources",
    access: "public",
    load: () => import("../dashboard/SourcesPage.js"),
  },
  {
    pattern: "/estimates",
    title: "Estimates",
    access: "public",
    load: () => import("../estimates/EstimatesPage.js"),
  },
  { pattern: "/sign-in", title: "Sign in", access: "public", load: () => import("../pages/SignIn.js") },
  {
    pattern: "/report",
    title: "Report an incident",
    access: "reporter",
    load: () => import("../reporter/ReportPage.js"),
  },
  {
    pattern: "/submissions",
    title: "My submissions",
    access: "reporter",
    load: () => import("../reporter/SubmissionsPage.js"),
  },
  {
    pattern: "/review",
    title: "Review queue",
    access: "reviewer",
    load: () => import("../review/QueuePage.js"),
  },
  {
    pattern: "/review/incident/:id",
    title: "Review an incident",
    access: "reviewer",
    load: () => import("../review/IncidentPage.js"),
  },
  {
    pattern: "/review/candidate/:id",
    title: "Review a candidate",
    access: "reviewer",
    load: () => import("../review/CandidatePage.js"),
  },
  {
    pattern: "/review/duplicates/:id",
    title: "Duplicates",
    access: "reviewer",
    load: () => import("../review/DuplicatesPage.js"),
  },
  {
    pattern: "/review/linkage",
    title: "Linkage review",
    access: "reviewer",
    load: () => import("../review/LinkagePage.js"),
  },
  {
    pattern: "/claims/new",
    title: "Record a claim",
    access: "reviewer",
    load: () => import("../review/ClaimPage.js"),
  },
  { pattern: "/admin/users", title: "Users", access: "admin", load: () => import("../admin/UsersPage.js") },
];
