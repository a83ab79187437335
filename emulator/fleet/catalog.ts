/** Static catalogs the fleet generator draws from. Indexes into these are what a device record stores. */

export type Platform = "Windows" | "iOS" | "Android" | "macOS";

export interface HardwareModel {
  manufacturer: string;
  model: string;
  platform: Platform;
  /** Windows device-name scheme tag: LT laptop, DT desktop. */
  form: "LT" | "DT" | "PH" | "MAC";
  serial: "dell" | "hp" | "lenovo" | "surface" | "apple" | "samsung";
  weight: number;
}

export const WINDOWS_MODELS: readonly HardwareModel[] = [
  { manufacturer: "Dell Inc.", model: "Latitude 5440", platform: "Windows", form: "LT", serial: "dell", weight: 14 },
  { manufacturer: "Dell Inc.", model: "Latitude 7440", platform: "Windows", form: "LT", serial: "dell", weight: 8 },
  { manufacturer: "Dell Inc.", model: "OptiPlex 7010", platform: "Windows", form: "DT", serial: "dell", weight: 7 },
  { manufacturer: "Dell Inc.", model: "Precision 3581", platform: "Windows", form: "LT", serial: "dell", weight: 3 },
  { manufacturer: "HP", model: "HP EliteBook 840 G10 Notebook PC", platform: "Windows", form: "LT", serial: "hp", weight: 12 },
  { manufacturer: "HP", model: "HP ProBook 450 G9 Notebook PC", platform: "Windows", form: "LT", serial: "hp", weight: 7 },
  { manufacturer: "HP", model: "HP EliteDesk 800 G6 Desktop Mini PC", platform: "Windows", form: "DT", serial: "hp", weight: 5 },
  { manufacturer: "LENOVO", model: "ThinkPad T14 Gen 4", platform: "Windows", form: "LT", serial: "lenovo", weight: 11 },
  { manufacturer: "LENOVO", model: "ThinkPad X1 Carbon Gen 11", platform: "Windows", form: "LT", serial: "lenovo", weight: 6 },
  { manufacturer: "LENOVO", model: "ThinkCentre M70q Gen 3", platform: "Windows", form: "DT", serial: "lenovo", weight: 4 },
  { manufacturer: "Microsoft Corporation", model: "Surface Laptop 5", platform: "Windows", form: "LT", serial: "surface", weight: 6 },
  { manufacturer: "Microsoft Corporation", model: "Surface Pro 9", platform: "Windows", form: "LT", serial: "surface", weight: 5 },
];

export const OTHER_MODELS: readonly HardwareModel[] = [
  { manufacturer: "Apple", model: "iPhone 14", platform: "iOS", form: "PH", serial: "apple", weight: 4 },
  { manufacturer: "Apple", model: "iPhone 15 Pro", platform: "iOS", form: "PH", serial: "apple", weight: 3 },
  { manufacturer: "samsung", model: "SM-S911B", platform: "Android", form: "PH", serial: "samsung", weight: 3 },
  { manufacturer: "Apple", model: "MacBook Air (M2, 2022)", platform: "macOS", form: "MAC", serial: "apple", weight: 2 },
];

export const ALL_MODELS: readonly HardwareModel[] = [...WINDOWS_MODELS, ...OTHER_MODELS];

export const WINDOWS_BUILDS: readonly { version: string; weight: number }[] = [
  { version: "10.0.19045.4291", weight: 10 },
  { version: "10.0.19045.5131", weight: 8 },
  { version: "10.0.22631.3447", weight: 20 },
  { version: "10.0.22631.4460", weight: 25 },
  { version: "10.0.26100.2314", weight: 22 },
  { version: "10.0.26100.2605", weight: 15 },
];

export const OS_VERSIONS: Record<Exclude<Platform, "Windows">, readonly string[]> = {
  iOS: ["17.6.1", "18.1", "18.1.1"],
  Android: ["14", "15"],
  macOS: ["14.7.1 (23H222)", "15.1.1 (24B91)"],
};

export const FIRST_NAMES = [
  "Adele", "Alex", "Allan", "Christie", "Debra", "Emily", "Enrico", "Grady", "Henrietta", "Irvin", "Johanna", "Joni",
  "Lidia", "Lynne", "Miriam", "Nestor", "Pradeep", "Raul", "Sanjay", "Alicia", "Bianca", "Carlos", "Dmitri", "Elena",
  "Farah", "Gustavo", "Hiroshi", "Ingrid", "Jamal", "Katarzyna", "Liam", "Mei", "Nadia", "Oluwaseun", "Priya", "Quentin",
  "Rosa", "Stefan", "Tomasz", "Uma", "Valentina", "Wei", "Ximena", "Yusuf", "Zara", "Aoife", "Björn", "Chloé", "Dagny",
];
export const LAST_NAMES = [
  "Vance", "Wilber", "Deyoung", "Cline", "Berger", "Braun", "Cattaneo", "Archie", "Gonzalez", "Sherwood", "Lauer",
  "Sherman", "Holloway", "Robbins", "Graham", "Wilke", "Gupta", "Rodriguez", "Patel", "Kowalski", "Nakamura", "Okafor",
  "Svensson", "Müller", "O'Brien", "Fernández", "Haddad", "Ivanova", "Kim", "Larsen", "Moreau", "Novak", "Petrov",
  "Rossi", "Schmidt", "Tanaka", "Van der Berg", "Wójcik", "Yamamoto", "Zhang", "Dubois", "Eriksen", "Fischer",
];

export const SITES = ["SEA", "AMS", "LON", "NYC", "SYD", "TYO", "BER", "SAO"];
export const GROUP_TAGS = ["Standard", "Kiosk", "Shared-Lab", "Finance", "Engineering", ""];
