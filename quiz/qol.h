/*
** qol.h: the AZ-900 skills outline, compiled in.
**
** Every question's `objective` is one line code of this table ("2.3.4" =
** domain 2, area 3, line 4); the codes and titles are those of the study
** guide's skills measured (January 2026), as listed in docs/question-bank.md.
** The table is data only: nothing here allocates, reads files or fails.
*/
#ifndef qol_h
#define qol_h

#include <stddef.h>

/* X(domain, area, line, title): domains are numbered 1-3 in the outline
** and stored 0-2 (enum qz_domain order). */
#define QOL_LINES(X) \
	X(1, 1, 1, "Define cloud computing") \
	X(1, 1, 2, "Describe the shared responsibility model") \
	X(1, 1, 3, "Define cloud models: public, private, hybrid; when to use each") \
	X(1, 1, 4, "Describe the consumption-based model") \
	X(1, 1, 5, "Compare cloud pricing models") \
	X(1, 1, 6, "Describe serverless") \
	X(1, 2, 1, "High availability and scalability") \
	X(1, 2, 2, "Reliability and predictability") \
	X(1, 2, 3, "Security and governance") \
	X(1, 2, 4, "Manageability") \
	X(1, 3, 1, "Infrastructure as a service (IaaS)") \
	X(1, 3, 2, "Platform as a service (PaaS)") \
	X(1, 3, 3, "Software as a service (SaaS)") \
	X(1, 3, 4, "Appropriate use cases for each service type") \
	X(2, 1, 1, "Regions, region pairs and sovereign regions") \
	X(2, 1, 2, "Availability zones") \
	X(2, 1, 3, "Azure datacenters") \
	X(2, 1, 4, "Azure resources and resource groups") \
	X(2, 1, 5, "Subscriptions") \
	X(2, 1, 6, "Management groups") \
	X(2, 1, 7, "The hierarchy of management groups, subscriptions, resource groups and resources") \
	X(2, 2, 1, "Compute types: containers, virtual machines, functions") \
	X(2, 2, 2, "Virtual machine options: VMs, VM Scale Sets, availability sets, Azure Virtual Desktop") \
	X(2, 2, 3, "Resources required for virtual machines") \
	X(2, 2, 4, "Application hosting options: web apps (App Service, incl. Mobile Apps backends, Notification Hubs, App Service plans), containers, VMs") \
	X(2, 2, 5, "Virtual networking: virtual networks, subnets, peering, Azure DNS, VPN Gateway, ExpressRoute") \
	X(2, 2, 6, "Public and private endpoints") \
	X(2, 3, 1, "Compare Azure Storage services") \
	X(2, 3, 2, "Storage tiers (access tiers)") \
	X(2, 3, 3, "Redundancy options") \
	X(2, 3, 4, "Storage account options and storage types") \
	X(2, 3, 5, "Options for moving files: AzCopy, Azure Storage Explorer, Azure File Sync") \
	X(2, 3, 6, "Migration options: Azure Migrate, Azure Data Box") \
	X(2, 4, 1, "Directory services: Microsoft Entra ID, Microsoft Entra Domain Services") \
	X(2, 4, 2, "Authentication methods: single sign-on, MFA, passwordless") \
	X(2, 4, 3, "External identities: B2B, B2C / External ID") \
	X(2, 4, 4, "Microsoft Entra Conditional Access") \
	X(2, 4, 5, "Azure role-based access control (RBAC)") \
	X(2, 4, 6, "Zero Trust") \
	X(2, 4, 7, "Defense in depth") \
	X(2, 4, 8, "Microsoft Defender for Cloud") \
	X(3, 1, 1, "Factors that can affect costs") \
	X(3, 1, 2, "The pricing calculator (and the TCO calculator)") \
	X(3, 1, 3, "Cost management capabilities (Microsoft Cost Management, budgets)") \
	X(3, 1, 4, "The purpose of tags") \
	X(3, 2, 1, "Microsoft Purview") \
	X(3, 2, 2, "Azure Policy") \
	X(3, 2, 3, "Resource locks") \
	X(3, 3, 1, "The Azure portal") \
	X(3, 3, 2, "Azure Cloud Shell, Azure CLI and Azure PowerShell") \
	X(3, 3, 3, "Azure Arc") \
	X(3, 3, 4, "Infrastructure as code") \
	X(3, 3, 5, "Azure Resource Manager and ARM templates (and Bicep)") \
	X(3, 4, 1, "Azure Advisor") \
	X(3, 4, 2, "Azure Service Health") \
	X(3, 4, 3, "Azure Monitor: Log Analytics, alerts, Application Insights")

/* X(domain, area, title) */
#define QOL_AREAS(X) \
	X(1, 1, "Cloud computing") \
	X(1, 2, "Benefits of using cloud services") \
	X(1, 3, "Cloud service types") \
	X(2, 1, "Core architectural components") \
	X(2, 2, "Compute and networking") \
	X(2, 3, "Storage") \
	X(2, 4, "Identity, access and security") \
	X(3, 1, "Cost management") \
	X(3, 2, "Governance and compliance") \
	X(3, 3, "Managing and deploying resources") \
	X(3, 4, "Monitoring tools")

/* X(domain, title, min percent, max percent) */
#define QOL_DOMAINS(X) \
	X(1, "Describe cloud concepts", 25, 30) \
	X(2, "Describe Azure architecture and services", 35, 40) \
	X(3, "Describe Azure management and governance", 30, 35)

#define QOL_NDOMAIN 3

typedef struct qol_line {
	const char	*code;		/* "2.3.4" */
	const char	*title;
	int		 domain;	/* 0-2, enum qz_domain order */
	int		 area;		/* 1-based within the domain */
	int		 line;		/* 1-based within the area */
} qol_line;

/* The number of outline lines, and line i (0 <= i < qol_count()), in
** outline order.  Both are static data. */
size_t qol_count(void);
const qol_line *qol_at(size_t i);
/* The index of the line whose code is exactly code, or -1 (also for
** NULL). */
int qol_find(const char *code);
/* The title of area `area` (1-based) of domain d (0-2), or NULL. */
const char *qol_area_title(int d, int area);
/* The outline's own title of domain d (0-2), and its published share of
** the exam in percent; "?" and 0 for a d out of range. */
const char *qol_domain_title(int d);
int qol_domain_min(int d);
int qol_domain_max(int d);
/* How many lines domain d has. */
size_t qol_domain_lines(int d);

#endif
