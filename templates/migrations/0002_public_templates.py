"""Seeds the public (system) templates. The content lives here, frozen with the migration that wrote it.

Re-running is harmless (update_or_create by name); reversing removes exactly these templates.
"""

from django.db import migrations


def s(section_type, title, content):
    return {"section_type": section_type, "title": title, "content": content.strip()}


TEMPLATES = [
    {
        "name": "Website redesign",
        "category": "web",
        "description": "Redesign and rebuild of a marketing or content website, from discovery to launch.",
        "sections": [
            s(
                "overview",
                "Project overview",
                """
[Client] is redesigning [website URL] to modernise its brand presence, improve conversion and make the site
easier for its own team to maintain. This scope covers discovery, information architecture, visual design,
front-end and CMS build, content migration, QA and launch support.
""",
            ),
            s(
                "objectives",
                "Objectives",
                """
- Increase qualified enquiries from the site by a measurable target (e.g. +25% form submissions within 6 months).
- Reach Lighthouse scores of 90+ for performance, accessibility and SEO on key templates.
- Meet WCAG 2.2 AA on all templates delivered.
- Let non-technical editors publish pages and posts without developer help.
""",
            ),
            s(
                "deliverables",
                "Deliverables",
                """
1. Discovery report: stakeholder interviews (up to 6), analytics review, competitor review.
2. Sitemap and information architecture for up to 40 pages.
3. Wireframes for up to 8 unique page templates (desktop and mobile).
4. Visual design system: typography, colour, components, and high-fidelity designs for the 8 templates.
5. Responsive front-end build and CMS integration ([CMS]) with reusable content blocks.
6. Migration of up to 60 existing pages and 100 blog posts, with 301 redirects.
7. Analytics and consent setup (GA4 or equivalent, cookie banner).
8. Editor training session (2 hours, recorded) and a written editor guide.
""",
            ),
            s(
                "timeline",
                "Timeline",
                """
| Phase | Duration |
|---|---|
| Discovery and IA | 2 weeks |
| Wireframes | 2 weeks |
| Visual design | 3 weeks |
| Build and CMS integration | 5 weeks |
| Content migration and QA | 2 weeks |
| Launch and hypercare | 1 week + 2 weeks support |

Total: about 15 weeks from kick-off, assuming feedback within 3 working days at each review.
""",
            ),
            s(
                "budget",
                "Budget",
                """
Fixed fee of [amount], invoiced 30% at kick-off, 30% at design sign-off, 30% at launch and 10% after hypercare.
Hosting, premium plugins, fonts and stock imagery are billed at cost or paid directly by the client.
Change requests outside this scope are estimated separately at the agreed day rate.
""",
            ),
            s(
                "assumptions",
                "Assumptions",
                """
- The client provides final copy, brand assets and access to the current site and analytics before week 2.
- One consolidated round of feedback per review, from a single decision-maker.
- Two rounds of revisions are included for wireframes and for visual design.
- The chosen CMS and hosting support the required integrations without custom infrastructure.
""",
            ),
            s(
                "exclusions",
                "Exclusions",
                """
- Copywriting, photography and video production.
- E-commerce, member areas or custom web applications.
- Translation and multilingual setup.
- Ongoing SEO campaigns and paid media after launch.
""",
            ),
            s(
                "risks",
                "Risks",
                """
- **Late content** delays migration and launch: mitigate with a content plan and owners agreed in discovery.
- **Legacy URLs** lose search ranking: mitigate with a complete redirect map tested before launch.
- **Scope creep** in design reviews: mitigate with sign-off gates and a change-request process.
""",
            ),
            s(
                "acceptance",
                "Acceptance criteria",
                """
The site is accepted when all templates render correctly on the latest two versions of major browsers and on
iOS/Android, the agreed performance and accessibility scores are met, and no severity-1 or severity-2 defects
remain open.
""",
            ),
        ],
    },
    {
        "name": "Mobile app",
        "category": "mobile",
        "description": "Design and build of an iOS and Android app, from product definition to store release.",
        "sections": [
            s(
                "overview",
                "Project overview",
                """
[Client] needs a mobile app for iOS and Android that lets [target users] [core job to be done]. This scope covers
product definition, UX/UI design, cross-platform development, a backend API where needed, testing and release to
the App Store and Google Play.
""",
            ),
            s(
                "objectives",
                "Objectives",
                """
- Launch a first release (MVP) with the core user journeys within the agreed timeline.
- Reach a crash-free session rate above 99.5% in the first month.
- Achieve an average store rating of 4.3+ within three months of launch.
- Instrument the app so product decisions can be made from usage data.
""",
            ),
            s(
                "scope",
                "Features in scope",
                """
- Onboarding, sign-up and sign-in (email and Apple/Google sign-in).
- [Core feature 1], [core feature 2] and [core feature 3] as defined in the product workshop.
- Push notifications for key events.
- In-app settings, profile and account deletion (store requirement).
- Offline-tolerant behaviour for read-only content.
""",
            ),
            s(
                "deliverables",
                "Deliverables",
                """
1. Product workshop output: user personas, journey maps, prioritised feature list.
2. Clickable prototype and UI design for up to 25 screens.
3. Cross-platform app ([React Native / Flutter]) with source code in the client's repository.
4. Backend API and admin panel for content and users, if required by the feature list.
5. Automated test suite and CI pipeline producing signed builds.
6. Store listings, screenshots and release to both stores.
""",
            ),
            s(
                "timeline",
                "Timeline",
                """
- Weeks 1-2: product workshop and technical discovery.
- Weeks 3-6: UX and UI design, prototype testing with 5 users.
- Weeks 5-14: development in two-week sprints with a demo at the end of each sprint.
- Weeks 15-16: beta (TestFlight / internal testing), fixes, store submission.
""",
            ),
            s(
                "team",
                "Team and roles",
                """
Product lead (0.5 FTE), UX/UI designer (1 FTE in design phase), two mobile engineers, one backend engineer,
QA engineer (0.5 FTE). The client names a product owner available for sprint reviews and questions.
""",
            ),
            s(
                "budget",
                "Budget",
                """
Time and materials estimate of [amount] (range [low]-[high]) based on the feature list above, billed monthly.
Apple and Google developer accounts, third-party services (push, analytics, crash reporting) and hosting are paid
by the client.
""",
            ),
            s(
                "assumptions",
                "Assumptions",
                """
- The minimum supported versions are iOS 16 and Android 10.
- Existing APIs, if any, are documented and available in a staging environment.
- The client owns the developer accounts and grants the team access.
""",
            ),
            s(
                "exclusions",
                "Exclusions",
                """
- Tablet-optimised layouts, wearables and TV apps.
- In-app purchases and subscriptions unless added by change request.
- Ongoing maintenance after the 30-day warranty period (available as a retainer).
""",
            ),
            s(
                "risks",
                "Risks",
                """
- **Store review rejection** can delay release by days: mitigate by following review guidelines from design onward.
- **Third-party API instability**: mitigate with contract tests and graceful degradation.
- **Unclear priorities** stretch the MVP: mitigate with a fixed MVP scope and a backlog for release 2.
""",
            ),
        ],
    },
    {
        "name": "Marketing campaign",
        "category": "marketing",
        "description": "An integrated multi-channel campaign: strategy, creative, production, media and reporting.",
        "sections": [
            s(
                "overview",
                "Campaign overview",
                """
A [duration] integrated campaign for [Client] to launch [product/offer] to [audience] across paid social, search,
email and the client's owned channels.
""",
            ),
            s(
                "objectives",
                "Objectives and KPIs",
                """
- Reach: [n] unique people in the target audience.
- Engagement: click-through rate of at least [x]% on paid social.
- Conversion: [n] qualified leads or sales at a cost per acquisition below [amount].
- Brand: measurable lift in aided awareness in a pre/post survey.
""",
            ),
            s(
                "deliverables",
                "Deliverables",
                """
1. Campaign strategy: audience insight, positioning, key message and channel plan.
2. Creative concept with two routes; the chosen route developed into a campaign toolkit.
3. Assets: up to 12 static and 6 short video ads (15s/30s) in platform formats, 3 email templates, 1 landing page.
4. Media plan and setup: targeting, budgets, tracking pixels and UTM conventions.
5. Weekly optimisation and a mid-campaign review.
6. Final report with results against KPIs and recommendations.
""",
            ),
            s(
                "timeline",
                "Timeline",
                """
- Weeks 1-2: research, strategy and briefing.
- Weeks 3-4: creative concepts and selection.
- Weeks 5-7: production and approvals.
- Weeks 8-15: campaign live, with weekly reporting.
- Week 16: wrap-up report.
""",
            ),
            s(
                "budget",
                "Budget",
                """
Agency fees: [amount] for strategy, creative and production; [amount] per month for media management.
Media spend of [amount] is paid directly by the client or passed through at cost without mark-up.
""",
            ),
            s(
                "assumptions",
                "Assumptions",
                """
- Brand guidelines, product information and legal requirements are provided before briefing.
- Approvals are returned within two working days so the launch date holds.
- The client's ad accounts and tracking are accessible to the agency.
""",
            ),
            s(
                "exclusions",
                "Exclusions",
                """
- Talent, location and usage fees beyond the campaign period.
- Out-of-home, print and broadcast media.
- PR and influencer management unless added.
""",
            ),
            s(
                "risks",
                "Risks",
                """
- **Creative fatigue** lowers performance after a few weeks: plan refreshes at week 4.
- **Tracking gaps** (consent, browser limits) understate results: agree modelled conversions up front.
- **Approval delays** compress the live period: fix approval owners and deadlines in the kick-off.
""",
            ),
        ],
    },
    {
        "name": "Data and analytics project",
        "category": "data",
        "description": "A data platform and reporting engagement: sources, pipelines, model, dashboards and enablement.",
        "sections": [
            s(
                "overview",
                "Project overview",
                """
[Client] wants a single, trusted view of [business area] data. This scope covers connecting the agreed sources,
building a cloud data warehouse with tested transformation pipelines, a documented semantic model and a first set
of dashboards, and handing over to the client's team.
""",
            ),
            s(
                "objectives",
                "Objectives",
                """
- Replace manual spreadsheet reporting for [n] recurring reports.
- Daily refreshed data with freshness and quality checks that alert on failure.
- One agreed definition for each core metric (revenue, active customers, churn, ...).
- Enable [n] analysts to build their own reports on the model.
""",
            ),
            s(
                "deliverables",
                "Deliverables",
                """
1. Data audit: inventory of sources, owners, quality issues and access.
2. Warehouse setup ([Snowflake / BigQuery / PostgreSQL]) with environments and access roles.
3. Ingestion for up to 6 sources (e.g. CRM, billing, product database, marketing platforms).
4. Transformation layer (dbt or equivalent) with tests and documentation.
5. Metric definitions and a semantic model reviewed with business owners.
6. Up to 5 dashboards in [BI tool].
7. Runbook, architecture diagram and two enablement workshops.
""",
            ),
            s(
                "timeline",
                "Timeline",
                """
| Phase | Duration |
|---|---|
| Audit and design | 2 weeks |
| Platform and ingestion | 3 weeks |
| Modelling and metrics | 3 weeks |
| Dashboards | 2 weeks |
| Enablement and handover | 1 week |
""",
            ),
            s(
                "budget",
                "Budget",
                """
Fixed fee of [amount] for the deliverables above. Cloud and tool licences are paid by the client; an estimate of
monthly run cost is part of the design phase.
""",
            ),
            s(
                "assumptions",
                "Assumptions",
                """
- Source systems expose APIs or database replicas; no screen scraping.
- Business owners are available for metric definition sessions (about 4 hours each).
- Historical data older than [n] years is out of scope unless already in the sources.
""",
            ),
            s(
                "exclusions",
                "Exclusions",
                """
- Machine learning models and forecasting.
- Real-time (sub-hourly) pipelines.
- Data cleansing in the source systems themselves.
""",
            ),
            s(
                "risks",
                "Risks",
                """
- **Poor source data quality** undermines trust: surface issues early with tests and an issue log owned by the client.
- **Access delays** (security reviews, credentials) stall ingestion: request access in week 1.
- **Conflicting metric definitions** between teams: escalate to the sponsor with a decision deadline.
""",
            ),
            s(
                "terms",
                "Data protection",
                """
Personal data is processed under a data processing agreement, in the client's cloud account and region. Access is
limited to named team members and revoked at handover.
""",
            ),
        ],
    },
    {
        "name": "Software integration",
        "category": "integration",
        "description": "Integrating two or more business systems through APIs, with mapping, error handling and monitoring.",
        "sections": [
            s(
                "overview",
                "Project overview",
                """
[Client] needs [System A] and [System B] to exchange [records, e.g. customers, orders, invoices] automatically,
replacing manual re-keying. This scope covers requirements, data mapping, the integration service, testing,
deployment and monitoring.
""",
            ),
            s(
                "objectives",
                "Objectives",
                """
- Remove manual data entry for the listed flows.
- Changes appear in the target system within [n] minutes.
- No silent failures: every failed record is visible, retried and reportable.
""",
            ),
            s(
                "scope",
                "Integration flows",
                """
| Flow | Direction | Trigger |
|---|---|---|
| Customers | A → B | webhook on create/update |
| Orders | A → B | webhook on status change |
| Invoices and payments | B → A | scheduled every 15 minutes |

Field-level mapping is agreed in the mapping workshop and recorded in the mapping specification.
""",
            ),
            s(
                "deliverables",
                "Deliverables",
                """
1. Integration requirements and field mapping specification.
2. Integration service (or iPaaS configuration) with idempotent processing, retries and a dead-letter queue.
3. Automated tests against both systems' sandboxes.
4. Monitoring dashboard and alerting for failures and backlog.
5. One-off initial data synchronisation with a reconciliation report.
6. Technical documentation and operations runbook.
""",
            ),
            s(
                "timeline",
                "Timeline",
                """
- Week 1: requirements and mapping workshop.
- Weeks 2-5: build and sandbox testing.
- Week 6: user acceptance testing with the client's team.
- Week 7: initial sync, go-live and two weeks of hypercare.
""",
            ),
            s(
                "budget",
                "Budget",
                """
Fixed fee of [amount]. Licences for the systems, middleware or iPaaS, and hosting are paid by the client.
Support after hypercare is available at [amount] per month.
""",
            ),
            s(
                "assumptions",
                "Assumptions",
                """
- Both systems provide documented APIs and sandbox environments with representative data.
- API rate limits allow the expected volumes ([n] records per day).
- The client names a system owner for each side who can approve mapping decisions.
""",
            ),
            s(
                "exclusions",
                "Exclusions",
                """
- Changes to either system's own configuration or custom code beyond the integration.
- Historical data clean-up before the initial sync.
- Flows not listed above.
""",
            ),
            s(
                "risks",
                "Risks",
                """
- **API changes by a vendor** break the flow: pin versions and monitor deprecation notices.
- **Duplicate records** from retries: idempotency keys and upserts on stable identifiers.
- **Sandbox differs from production**: a production dry run with read-only access before go-live.
""",
            ),
        ],
    },
    {
        "name": "Brand identity",
        "category": "branding",
        "description": "A new or refreshed brand identity: research, strategy, visual identity and guidelines.",
        "sections": [
            s(
                "overview",
                "Project overview",
                """
A brand identity programme for [Client], covering research, brand strategy, a visual identity system and the
guidelines and assets the team needs to apply it consistently.
""",
            ),
            s(
                "deliverables",
                "Deliverables",
                """
1. Brand audit and stakeholder interviews (up to 8).
2. Brand strategy: purpose, positioning, personality and messaging pillars.
3. Logo and identity system: logo suite, colour, typography, iconography and imagery direction.
4. Brand guidelines (PDF and online).
5. Core templates: business card, letterhead, presentation and social media templates.
""",
            ),
            s(
                "timeline",
                "Timeline",
                """
Research and strategy: 3 weeks. Identity concepts (three routes): 3 weeks. Refinement of the chosen route:
2 weeks. Guidelines and templates: 2 weeks.
""",
            ),
            s(
                "budget",
                "Budget",
                "Fixed fee of [amount]. Font licences and trademark searches are billed at cost.",
            ),
            s(
                "exclusions",
                "Exclusions",
                "Naming, trademark registration, website redesign and printing are not included.",
            ),
        ],
    },
]


def seed(apps, schema_editor):
    Template = apps.get_model("scope_templates", "Template")
    for spec in TEMPLATES:
        Template.objects.update_or_create(
            workspace=None,
            name=spec["name"],
            defaults={
                "description": spec["description"],
                "category": spec["category"],
                "sections": spec["sections"],
                "is_public": True,
            },
        )


def unseed(apps, schema_editor):
    Template = apps.get_model("scope_templates", "Template")
    Template.objects.filter(workspace=None, name__in=[spec["name"] for spec in TEMPLATES]).delete()


class Migration(migrations.Migration):
    dependencies = [("scope_templates", "0001_initial")]
    operations = [migrations.RunPython(seed, unseed)]
