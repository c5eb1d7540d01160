namespace LeadRouter.SalesforceEmulator.Generation;

/// <summary>
/// The word lists the generator draws from. Every value is a shared string, so a million
/// activities reuse a few dozen subjects. Activity subjects are chosen to match (or, for selling
/// work, stay clear of) the default review and admin patterns in TrustSettings.
/// </summary>
internal static class SampleData
{
    /// <summary>Meetings among colleagues, with no customer on them (they match no review pattern).</summary>
    public static readonly string[] InternalMeetingSubjects =
    [
        "Deal desk sync", "Sales engineering prep", "Enablement: new pricing", "Territory planning", "Forecast call prep",
        "Onboarding buddy check-in", "Partner team sync",
    ];

    public static readonly string[] FirstNames =
    [
        "Alex", "Sam", "Jordan", "Taylor", "Morgan", "Casey", "Riley", "Jamie", "Avery", "Quinn",
        "Olivia", "Liam", "Emma", "Noah", "Ava", "Elijah", "Sophia", "Lucas", "Mia", "Mateo",
        "Amelia", "Ethan", "Harper", "James", "Evelyn", "Benjamin", "Abigail", "Henry", "Emily", "Jack",
        "Ella", "Owen", "Grace", "Leo", "Chloe", "Daniel", "Zoe", "Samuel", "Nora", "David",
        "Hannah", "Joseph", "Lily", "Carter", "Aria", "Wyatt", "Layla", "Julian", "Ruby", "Isaac",
        "Priya", "Arjun", "Aisha", "Omar", "Fatima", "Yusuf", "Mei", "Wei", "Hiroshi", "Yuki",
        "Sofia", "Diego", "Camila", "Mateus", "Lucia", "Pablo", "Ingrid", "Lars", "Freya", "Sven",
        "Claire", "Louis", "Camille", "Hugo", "Manon", "Jules", "Lea", "Paul", "Anna", "Felix",
        "Lena", "Jonas", "Mila", "Finn", "Clara", "Max", "Marie", "Ben", "Emilia", "Noel",
        "Oliver", "George", "Isla", "Harry", "Poppy", "Alfie", "Freddie", "Evie", "Charlie", "Rosie",
        "Kwame", "Amara", "Tariq", "Nadia", "Ravi", "Anika", "Kenji", "Sana", "Tomas", "Elena",
    ];

    public static readonly string[] LastNames =
    [
        "Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis", "Rodriguez", "Martinez",
        "Hernandez", "Lopez", "Gonzalez", "Wilson", "Anderson", "Thomas", "Moore", "Jackson", "Martin", "Lee",
        "Perez", "Thompson", "White", "Harris", "Sanchez", "Clark", "Ramirez", "Lewis", "Robinson", "Walker",
        "Young", "Allen", "King", "Wright", "Scott", "Torres", "Nguyen", "Hill", "Flores", "Green",
        "Adams", "Nelson", "Baker", "Hall", "Rivera", "Campbell", "Mitchell", "Carter", "Roberts", "Patel",
        "Shah", "Khan", "Chen", "Wang", "Li", "Zhang", "Kim", "Park", "Tanaka", "Sato",
        "Muller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner", "Becker", "Hoffmann", "Koch",
        "Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand", "Leroy", "Moreau",
        "Taylor", "Evans", "Davies", "Hughes", "Edwards", "Wood", "Murphy", "Cooper", "Price", "Bennett",
        "Okafor", "Mensah", "Haddad", "Nasser", "Silva", "Costa", "Rossi", "Novak", "Jensen", "Larsen",
        "Berg", "Lindqvist", "Kowalski", "Horvat", "Ivanova", "Popescu", "Yilmaz", "Demir", "Cohen", "Levi",
    ];

    public static readonly string[] CompanyStems =
    [
        "Northwind", "Contoso", "Fabrikam", "Blue River", "Summit", "Redwood", "Ironclad", "Bright Path", "Silverline", "Harbor",
        "Evergreen", "Pinnacle", "Granite", "Lakeside", "Nimbus", "Vertex", "Orion", "Atlas", "Beacon", "Cobalt",
        "Crescent", "Delta", "Ember", "Falcon", "Frontier", "Golden Gate", "Highland", "Horizon", "Juniper", "Keystone",
        "Lighthouse", "Maple", "Meridian", "Monarch", "Northstar", "Oakridge", "Pacific", "Polaris", "Quantum", "Riverbend",
        "Sagebrush", "Sequoia", "Skyline", "Starling", "Stonebridge", "Sunrise", "Tidewater", "Trailhead", "Unity", "Valley",
        "Westbrook", "Willow", "Zenith", "Aurora", "Bluebird", "Cedar", "Copperleaf", "Driftwood", "Elm Street", "Foxglove",
        "Greenfield", "Hawthorne", "Ivy Lane", "Kingsway", "Larkspur", "Millbrook", "Nightingale", "Old Mill", "Pinewood", "Queensbury",
        "Rosewood", "Saltmarsh", "Thornbury", "Upland", "Vantage", "Whitestone", "Yellowstone", "Alder", "Brightwater", "Clearwater",
    ];

    public static readonly string[] CompanyKinds =
    [
        "Logistics", "Foods", "Analytics", "Health", "Energy", "Robotics", "Media", "Bank", "Insurance", "Retail",
        "Systems", "Labs", "Manufacturing", "Telecom", "Travel", "Pharma", "Software", "Capital", "Motors", "Textiles",
    ];

    public static readonly string[] CompanySuffixes = ["Inc.", "Ltd", "GmbH", "SA", "LLC", "Group", "Corp.", "plc"];

    /// <summary>Salesforce's standard Industry picklist values.</summary>
    public static readonly string[] Industries =
    [
        "Agriculture", "Apparel", "Banking", "Biotechnology", "Chemicals", "Communications", "Construction", "Consulting",
        "Education", "Electronics", "Energy", "Engineering", "Entertainment", "Environmental", "Finance", "Food & Beverage",
        "Government", "Healthcare", "Hospitality", "Insurance", "Machinery", "Manufacturing", "Media", "Not For Profit",
        "Recreation", "Retail", "Shipping", "Technology", "Telecommunications", "Transportation", "Utilities", "Other",
    ];

    public static readonly string[] Products =
    [
        "Platform licences", "Analytics add-on", "Enterprise upgrade", "Support renewal", "Pilot project",
        "Seat expansion", "Data migration", "Training package", "Security suite", "Integration bundle",
    ];

    /// <summary>Agreed next steps on opportunities; none of them reads as admin work.</summary>
    public static readonly string[] NextSteps =
    [
        "Send proposal", "Technical deep-dive", "Reference call", "Mutual close plan", "Executive sponsor meeting",
        "Trial kickoff", "Pricing call with CFO", "Demo for IT team", "Security questionnaire walkthrough", "Business case workshop",
    ];

    /// <summary>Salesforce's standard open opportunity stages.</summary>
    public static readonly string[] OpenStages =
    [
        "Prospecting", "Qualification", "Needs Analysis", "Value Proposition", "Id. Decision Makers", "Perception Analysis",
        "Proposal/Price Quote", "Negotiation/Review",
    ];

    public static readonly string[] DecisionMakerRoles = ["Decision Maker", "Economic Buyer", "Executive Sponsor"];
    public static readonly string[] OtherRoles = ["Influencer", "Technical Buyer", "Evaluator", "Business User", "Other"];

    public static readonly string[] CallSubjects = ["Discovery call", "Follow-up call", "Call: pricing questions", "Left voicemail", "Check-in call"];
    public static readonly string[] EmailSubjects = ["Email: proposal sent", "Email: follow-up", "Email: case study", "Email: meeting recap"];
    public static readonly string[] MeetingSubjects = ["Customer meeting", "Onsite workshop", "Product demo", "Lunch with champion"];

    /// <summary>Admin work recognised by its Subject (the default admin pattern); Type is left generic.</summary>
    public static readonly string[] AdminSubjects =
    [
        "Update order form", "Expense report", "Submit PO", "Invoice correction", "Billing question from customer",
        "CRM update: contact details", "Data entry: event badge scans", "Paperwork for new account",
        "Service issue escalation", "Contract paperwork",
    ];

    /// <summary>Admin work recognised by its Type (the default admin types) with a subject the pattern would miss.</summary>
    public static readonly (string Type, string Subject)[] AdminTyped =
    [
        ("Admin", "Fix account hierarchy"), ("Data Entry", "Enter trade show contacts"), ("Paperwork", "Customer NDA"),
        ("Operations", "Territory spreadsheet"), ("Service", "Customer login problem"),
    ];

    public static readonly string[] UsStates = ["CA", "NY", "TX", "WA", "MA", "IL", "FL", "GA", "CO", "NC"];
    public static readonly string[] CanadianProvinces = ["ON", "BC", "QC", "AB"];

    /// <summary>A team's country, its time zone and the zone's standard UTC offset in hours (daylight saving is ignored).</summary>
    public static readonly (string Country, string TimeZone, int UtcOffset)[] TeamLocations =
    [
        ("US", "America/New_York", -5), ("GB", "Europe/London", 0), ("DE", "Europe/Berlin", 1), ("FR", "Europe/Paris", 1),
        ("US", "America/Chicago", -6), ("US", "America/Los_Angeles", -8), ("GB", "Europe/London", 0), ("DE", "Europe/Berlin", 1),
        ("US", "America/New_York", -5), ("FR", "Europe/Paris", 1),
    ];
}
