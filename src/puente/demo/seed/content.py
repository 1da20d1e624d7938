"""The words the demo is written with: bilingual fragments combined by the seed steps.

All texts were written for Puente's demo. Organization names other than the agreement's
partners are invented; web sites and email addresses use the reserved ``.example`` domain.
Each fragment is a pair (Spanish, English) saying the same thing, so an organization's
description and its translation agree.
"""

from __future__ import annotations

from typing import Any

Pair = tuple[str, str]

# --- the agreement's partners (real institutions, descriptions written for the demo) ------------

PARTNERS: list[dict[str, Any]] = [
    {
        "key": "ruta_n",
        "name": "Ruta N Medellín",
        "type": "government",
        "hub": "medellin",
        "city": "Medellín",
        "sectors": ["smart_cities", "software", "healthtech", "energy"],
        "technologies": ["ai", "big_data", "iot"],
        "language": "es",
        "tagline": ("Agencia de innovación de Medellín", "Medellín's innovation agency"),
        "description": (
            "Ruta N es la agencia de ciencia, tecnología e innovación de Medellín. Opera el Distrito de Innovación, "
            "acompaña a empresas de tecnología que llegan a la ciudad y conecta a emprendedores con clientes, capital, "
            "talento y asesoría experta. En Puente coordina el memorando de entendimiento con Miami y reporta sus resultados.",
            "Ruta N is Medellín's science, technology and innovation agency. It runs the Innovation District, supports "
            "technology companies arriving in the city and connects founders with clients, capital, talent and expert "
            "advice. In Puente it coordinates the memorandum of understanding with Miami and reports its results.",
        ),
        "founded": 2009,
        "size": "51-200",
    },
    {
        "key": "cic_miami",
        "name": "CIC Miami",
        "type": "innovation_center",
        "hub": "miami",
        "city": "Miami",
        "sectors": ["software", "healthtech", "fintech", "creative"],
        "technologies": ["cloud", "ai"],
        "language": "en",
        "tagline": (
            "Centro de innovación y comunidad en Miami",
            "Innovation center and community in Miami",
        ),
        "description": (
            "CIC Miami es el centro de innovación que recibe en Miami a las empresas de la red: oficinas flexibles, "
            "laboratorios, programación para emprendedores y mentoría. Es la contraparte de Ruta N en el acuerdo y "
            "acompaña a las startups colombianas que aterrizan en Estados Unidos.",
            "CIC Miami is the innovation center that welcomes the network's companies in Miami: flexible offices, labs, "
            "programming for founders and mentoring. It is Ruta N's counterpart in the agreement and supports Colombian "
            "startups landing in the United States.",
        ),
        "founded": 2018,
        "size": "11-50",
    },
    {
        "key": "aci",
        "name": "ACI Medellín",
        "type": "government",
        "hub": "medellin",
        "city": "Medellín",
        "sectors": ["professional_services", "tourism", "manufacturing"],
        "technologies": [],
        "language": "es",
        "tagline": (
            "Agencia de Cooperación e Inversión de Medellín y el Área Metropolitana",
            "Medellín's cooperation and investment agency",
        ),
        "description": (
            "La Agencia de Cooperación e Inversión de Medellín y el Área Metropolitana promueve la inversión extranjera "
            "directa y la cooperación internacional. Acompaña a las empresas que evalúan instalarse en la ciudad con "
            "información del mercado, contactos institucionales y agendas de visita.",
            "Medellín's cooperation and investment agency promotes foreign direct investment and international "
            "cooperation. It supports companies considering a base in the city with market information, institutional "
            "contacts and visit agendas.",
        ),
        "founded": 2002,
        "size": "51-200",
    },
    {
        "key": "procolombia",
        "name": "ProColombia",
        "type": "government",
        "hub": "medellin",
        "other_hubs": ["miami"],
        "city": "Medellín",
        "sectors": ["commerce", "tourism", "agritech", "software"],
        "technologies": [],
        "language": "es",
        "tagline": (
            "Promoción de exportaciones, inversión y turismo de Colombia",
            "Colombia's export, investment and tourism promotion agency",
        ),
        "description": (
            "ProColombia promueve las exportaciones, la inversión extranjera y el turismo de Colombia. Con su oficina en "
            "Miami ayuda a las empresas colombianas a encontrar compradores en Estados Unidos y orienta a los "
            "inversionistas interesados en el país.",
            "ProColombia promotes Colombia's exports, foreign investment and tourism. Through its Miami office it helps "
            "Colombian companies find buyers in the United States and guides investors interested in the country.",
        ),
        "founded": 1992,
        "size": "201-1000",
    },
    {
        "key": "um_ccs",
        "name": "University of Miami Center for Computational Science",
        "type": "university",
        "hub": "miami",
        "city": "Coral Gables",
        "sectors": ["healthtech", "environment", "smart_cities"],
        "technologies": ["e_science", "big_data", "ai", "cloud"],
        "language": "en",
        "tagline": (
            "Computación avanzada, Big Data y ciudades inteligentes",
            "Advanced computing, Big Data and intelligent cities",
        ),
        "description": (
            "El centro de ciencia computacional de la Universidad de Miami reúne a investigadores de e-Ciencia, Big Data "
            "y ciudades inteligentes. En el acuerdo aporta capacidad de cómputo, proyectos de investigación conjunta y "
            "formación para equipos de ambos hubs.",
            "The University of Miami's computational science center brings together researchers in e-Science, Big Data "
            "and intelligent cities. In the agreement it contributes computing capacity, joint research projects and "
            "training for teams of both hubs.",
        ),
        "founded": 2007,
        "size": "51-200",
    },
]

# --- per sector: what organizations offer, and to whom -----------------------------------------

SECTOR_OFFERS: dict[str, list[Pair]] = {
    "fintech": [
        (
            "una plataforma de pagos con código QR para tiendas de barrio",
            "a QR-code payments platform for corner shops",
        ),
        (
            "crédito de capital de trabajo para pymes exportadoras",
            "working-capital credit for exporting small businesses",
        ),
        (
            "una app de remesas entre Estados Unidos y Colombia con tarifas claras",
            "a remittance app between the United States and Colombia with clear fees",
        ),
        (
            "conciliación contable automática para empresas medianas",
            "automatic bookkeeping reconciliation for mid-sized companies",
        ),
        (
            "calificación de crédito con datos alternativos para personas sin historial bancario",
            "credit scoring with alternative data for people without a banking history",
        ),
        (
            "nómina y pagos transfronterizos para equipos remotos",
            "payroll and cross-border payments for remote teams",
        ),
        (
            "seguros paramétricos para pequeños productores",
            "parametric insurance for smallholder farmers",
        ),
    ],
    "healthtech": [
        (
            "telemedicina para zonas rurales con historia clínica interoperable",
            "telemedicine for rural areas with interoperable health records",
        ),
        (
            "agendamiento y recordatorios que reducen la inasistencia a citas médicas",
            "scheduling and reminders that cut missed medical appointments",
        ),
        (
            "monitoreo remoto de pacientes crónicos con dispositivos conectados",
            "remote monitoring of chronic patients with connected devices",
        ),
        (
            "análisis de imágenes diagnósticas asistido por inteligencia artificial",
            "AI-assisted analysis of diagnostic images",
        ),
        (
            "gestión de ensayos clínicos para centros de investigación",
            "clinical trial management for research sites",
        ),
        (
            "salud mental en línea con psicólogos bilingües",
            "online mental health care with bilingual psychologists",
        ),
    ],
    "agritech": [
        (
            "trazabilidad del café y el cacao desde la finca hasta el comprador",
            "coffee and cacao traceability from farm to buyer",
        ),
        (
            "sensores de humedad y riego inteligente para cultivos de aguacate",
            "moisture sensors and smart irrigation for avocado growers",
        ),
        (
            "un mercado en línea que conecta productores con restaurantes",
            "an online marketplace connecting growers with restaurants",
        ),
        (
            "monitoreo de plagas con drones e imágenes satelitales",
            "pest monitoring with drones and satellite imagery",
        ),
        (
            "empaques biodegradables a partir de residuos agrícolas",
            "biodegradable packaging made from crop residues",
        ),
        (
            "financiación de cosechas con contratos de compra anticipada",
            "harvest financing through forward purchase contracts",
        ),
    ],
    "smart_cities": [
        (
            "analítica de movilidad para planear rutas de transporte público",
            "mobility analytics for planning public transport routes",
        ),
        (
            "alumbrado público inteligente con medición de consumo",
            "smart street lighting with consumption metering",
        ),
        ("gestión de residuos con contenedores conectados", "waste management with connected bins"),
        (
            "participación ciudadana y presupuestos participativos en línea",
            "online citizen participation and participatory budgeting",
        ),
        (
            "monitoreo de la calidad del aire por barrios",
            "neighborhood-level air quality monitoring",
        ),
        (
            "gemelos digitales para obras y servicios urbanos",
            "digital twins for urban works and services",
        ),
    ],
    "software": [
        (
            "desarrollo de software a la medida con equipos nearshore",
            "custom software development with nearshore teams",
        ),
        (
            "un CRM en español para equipos comerciales de pymes",
            "a Spanish-language CRM for small-business sales teams",
        ),
        ("automatización de pruebas para aplicaciones móviles", "test automation for mobile apps"),
        (
            "una plataforma de comercio electrónico para marcas independientes",
            "an e-commerce platform for independent brands",
        ),
        (
            "gestión de inventarios en la nube para distribuidores",
            "cloud inventory management for distributors",
        ),
        (
            "herramientas de ciberseguridad para empresas medianas",
            "cybersecurity tools for mid-sized companies",
        ),
        (
            "asistentes conversacionales para atención al cliente",
            "conversational assistants for customer service",
        ),
    ],
    "biotech": [
        (
            "bioinsumos para reemplazar agroquímicos en cultivos de flores",
            "bio-inputs that replace agrochemicals in flower farming",
        ),
        (
            "diagnóstico molecular rápido de enfermedades tropicales",
            "rapid molecular diagnostics for tropical diseases",
        ),
        (
            "ingredientes activos a partir de la biodiversidad colombiana",
            "active ingredients derived from Colombian biodiversity",
        ),
        ("proteínas alternativas por fermentación", "alternative proteins made by fermentation"),
        (
            "bancos de cepas y servicios de bioprocesos para la industria",
            "strain banks and bioprocessing services for industry",
        ),
    ],
    "logistics": [
        (
            "entregas de última milla con vehículos eléctricos",
            "last-mile delivery with electric vehicles",
        ),
        (
            "visibilidad de carga en tiempo real para exportadores",
            "real-time cargo visibility for exporters",
        ),
        (
            "agenciamiento aduanero digital entre Colombia y Estados Unidos",
            "digital customs brokerage between Colombia and the United States",
        ),
        (
            "optimización de rutas para flotas de distribución",
            "route optimization for distribution fleets",
        ),
        ("cadena de frío monitoreada para perecederos", "monitored cold chain for perishables"),
    ],
    "creative": [
        (
            "producción de animación y videojuegos para clientes internacionales",
            "animation and video game production for international clients",
        ),
        (
            "una plataforma de música en vivo y venta de entradas",
            "a live music and ticketing platform",
        ),
        (
            "diseño de experiencias inmersivas para museos y marcas",
            "immersive experience design for museums and brands",
        ),
        (
            "doblaje y subtitulado con apoyo de inteligencia artificial",
            "AI-assisted dubbing and subtitling",
        ),
        (
            "moda sostenible con trazabilidad de materiales",
            "sustainable fashion with traceable materials",
        ),
    ],
    "energy": [
        (
            "paneles solares con pago mensual para hogares y comercios",
            "rooftop solar with monthly payments for homes and shops",
        ),
        (
            "gestión de la demanda eléctrica para industrias",
            "electricity demand management for industry",
        ),
        ("almacenamiento en baterías para microrredes", "battery storage for microgrids"),
        ("estaciones de carga para flotas eléctricas", "charging stations for electric fleets"),
        (
            "medición inteligente y detección de pérdidas de energía",
            "smart metering and energy loss detection",
        ),
    ],
    "edtech": [
        (
            "formación en programación para jóvenes de barrios populares",
            "coding bootcamps for young people from low-income neighborhoods",
        ),
        (
            "aprendizaje de inglés para equipos de tecnología",
            "English learning for technology teams",
        ),
        (
            "una plataforma de prácticas laborales entre universidades y empresas",
            "an internship platform between universities and companies",
        ),
    ],
    "commerce": [
        (
            "venta en línea de productos colombianos para la comunidad latina en Estados Unidos",
            "online sales of Colombian products to the Latino community in the United States",
        ),
        ("inteligencia de precios para minoristas", "price intelligence for retailers"),
        (
            "catálogos digitales para fabricantes de calzado y confección",
            "digital catalogs for footwear and apparel makers",
        ),
    ],
    "proptech": [
        (
            "arriendo de oficinas flexibles con contratos en línea",
            "flexible office rentals with online contracts",
        ),
        (
            "gestión de obras con seguimiento fotográfico diario",
            "construction management with daily photo tracking",
        ),
    ],
    "environment": [
        ("tratamiento descentralizado de aguas residuales", "decentralized wastewater treatment"),
        (
            "medición y compensación de la huella de carbono de pymes",
            "carbon footprint measurement and offsetting for small businesses",
        ),
    ],
    "tourism": [
        (
            "reservas de turismo de naturaleza con operadores locales",
            "nature tourism bookings with local operators",
        ),
        (
            "experiencias gastronómicas para viajeros de negocios",
            "food experiences for business travelers",
        ),
    ],
    "manufacturing": [
        (
            "mantenimiento predictivo para plantas de manufactura",
            "predictive maintenance for manufacturing plants",
        ),
        (
            "impresión 3D de repuestos industriales bajo demanda",
            "on-demand 3D printing of industrial spare parts",
        ),
    ],
}

SECTOR_TECHNOLOGIES: dict[str, list[str]] = {
    "fintech": ["blockchain", "mobile", "ai", "cloud", "cybersecurity"],
    "healthtech": ["ai", "medtech", "iot", "big_data", "cloud"],
    "agritech": ["iot", "geospatial", "big_data", "biotech_tools"],
    "smart_cities": ["iot", "big_data", "geospatial", "ai"],
    "software": ["cloud", "ai", "mobile", "cybersecurity"],
    "biotech": ["biotech_tools", "nanotech", "big_data"],
    "logistics": ["iot", "ai", "mobile", "geospatial"],
    "creative": ["xr", "ai", "mobile"],
    "energy": ["renewables", "iot", "big_data"],
    "edtech": ["cloud", "mobile", "ai"],
    "commerce": ["mobile", "cloud", "ai"],
    "proptech": ["xr", "cloud", "iot"],
    "environment": ["iot", "geospatial", "nanotech"],
    "tourism": ["mobile", "xr"],
    "manufacturing": ["robotics", "additive", "iot"],
}

# Sectors startups and scaleups are drawn from, weighted toward the agreement's focus.
STARTUP_SECTORS = (
    ["fintech"] * 4
    + ["healthtech"] * 3
    + ["agritech"] * 3
    + ["smart_cities"] * 3
    + ["software"] * 4
    + ["biotech"] * 2
    + ["logistics"] * 2
    + ["creative"] * 2
    + ["energy"] * 2
    + ["edtech", "commerce", "proptech", "environment", "tourism", "manufacturing"]
)

# --- names -------------------------------------------------------------------------------------

NAME_ROOTS: dict[str, list[str]] = {
    "fintech": [
        "Paga",
        "Credi",
        "Moneda",
        "Cuenta",
        "Remesa",
        "Cobra",
        "Ahorra",
        "Fondea",
        "Abono",
        "Peso",
        "Tanda",
        "Giro",
    ],
    "healthtech": [
        "Salu",
        "Medi",
        "Cura",
        "Vita",
        "Clini",
        "Pulso",
        "Latido",
        "Sana",
        "Bienestar",
        "Cuida",
    ],
    "agritech": [
        "Agro",
        "Cosecha",
        "Semilla",
        "Finca",
        "Surco",
        "Cafeto",
        "Cacao",
        "Campo",
        "Vereda",
        "Riego",
    ],
    "smart_cities": ["Urbe", "Ciudad", "Metro", "Barrio", "Comuna", "Vía", "Plaza", "Cívica"],
    "software": [
        "Código",
        "Nube",
        "Byte",
        "Lógica",
        "Datos",
        "Pixel",
        "Nodo",
        "Script",
        "Kernel",
        "Módulo",
    ],
    "biotech": ["Bio", "Gen", "Cepa", "Fermenta", "Molécula", "Enzima", "Célula"],
    "logistics": ["Carga", "Ruta", "Envío", "Flete", "Bodega", "Muelle", "Despacho"],
    "creative": ["Estudio", "Trama", "Ritmo", "Color", "Lienzo", "Escena", "Faro"],
    "energy": ["Sol", "Vatio", "Voltio", "Energía", "Chispa", "Brisa", "Turbina"],
    "edtech": ["Aula", "Saber", "Tutor", "Lección"],
    "commerce": ["Tienda", "Mercado", "Vitrina", "Canasta"],
    "proptech": ["Obra", "Predio", "Ladrillo"],
    "environment": ["Agua", "Verde", "Cauce"],
    "tourism": ["Viaje", "Ruta Verde", "Paisaje"],
    "manufacturing": ["Taller", "Forja", "Torno"],
}
NAME_SUFFIXES = [
    "ya",
    "Labs",
    "Go",
    "Hub",
    "Pro",
    "Link",
    "Flow",
    "Tech",
    "Nexo",
    "Smart",
    "Plus",
    "360",
    "Lab",
    "io",
    "Net",
    "Base",
    "Mente",
    "Conecta",
]

PLACE_WORDS = [
    "Ceiba",
    "Guayacán",
    "Cóndor",
    "Orquídea",
    "Palmera",
    "Manglar",
    "Arrecife",
    "Bahía",
    "Cordillera",
    "Altavista",
    "Magnolia",
    "Pelícano",
    "Heliconia",
    "Yarumo",
    "Barranquero",
    "Colibrí",
    "Sabana",
    "Coral",
    "Marea",
    "Laurel",
    "Flamingo",
    "Manatí",
    "Iguana",
    "Tucán",
    "Cedro",
    "Almendro",
    "Caracola",
    "Horizonte",
    "Atlántico",
    "Caribe",
]
SURNAMES_ES = [
    "Restrepo",
    "Gómez",
    "Vélez",
    "Mejía",
    "Arango",
    "Ochoa",
    "Echeverri",
    "Londoño",
    "Posada",
    "Uribe",
    "Cardona",
    "Zuluaga",
    "Botero",
    "Jaramillo",
    "Montoya",
    "Giraldo",
    "Correa",
    "Henao",
    "Osorio",
    "Muñoz",
    "Salazar",
    "Castaño",
    "Quintero",
    "Ramírez",
    "Vargas",
    "Toro",
    "Hincapié",
    "Patiño",
    "Escobar",
    "Álvarez",
    "Pérez",
    "Rendón",
]
SURNAMES_EN = [
    "Carter",
    "Morgan",
    "Reyes",
    "Whitman",
    "Delgado",
    "Hughes",
    "Navarro",
    "Bennett",
    "Fuentes",
    "Sullivan",
    "Ortega",
    "Brooks",
    "Cabrera",
    "Foster",
    "Iglesias",
    "Parker",
    "Suárez",
    "Coleman",
    "Vega",
    "Hayes",
    "Santana",
    "Mitchell",
    "Rivera",
    "Porter",
    "Acosta",
    "Kim",
    "Levy",
    "Nguyen",
    "Goldberg",
    "Patel",
]
FIRST_NAMES_ES = {
    "f": [
        "Ana",
        "Catalina",
        "Daniela",
        "Isabel",
        "Juliana",
        "Laura",
        "Manuela",
        "María José",
        "Natalia",
        "Paula",
        "Sara",
        "Valentina",
        "Luisa",
        "Carolina",
        "Alejandra",
        "Mariana",
        "Camila",
        "Susana",
        "Lina",
        "Diana",
    ],
    "m": [
        "Andrés",
        "Camilo",
        "Carlos",
        "Daniel",
        "David",
        "Felipe",
        "Jorge",
        "Juan Pablo",
        "Julián",
        "Mateo",
        "Santiago",
        "Sebastián",
        "Simón",
        "Tomás",
        "Esteban",
        "Alejandro",
        "Nicolás",
        "Federico",
        "Mauricio",
        "Juan Diego",
    ],
}
FIRST_NAMES_EN = {
    "f": [
        "Emily",
        "Sarah",
        "Jessica",
        "Rachel",
        "Olivia",
        "Hannah",
        "Grace",
        "Megan",
        "Claire",
        "Sophia",
        "Gabriela",
        "Adriana",
        "Lucía",
        "Elena",
        "Priya",
    ],
    "m": [
        "Michael",
        "David",
        "James",
        "Daniel",
        "Ryan",
        "Kevin",
        "Brian",
        "Jonathan",
        "Marcus",
        "Ethan",
        "Carlos",
        "Javier",
        "Luis",
        "Ricardo",
        "Omar",
    ],
}

# --- other organization types ---------------------------------------------------------------------

INVESTOR_KINDS: dict[str, list[tuple[str, Pair]]] = {
    "medellin": [
        (
            "{word} Capital",
            (
                "un fondo de capital de riesgo que invierte en etapa semilla y serie A",
                "a venture capital fund investing at seed and Series A",
            ),
        ),
        (
            "Red de Ángeles {word}",
            (
                "una red de inversionistas ángel que coinvierte en startups tempranas",
                "an angel investor network co-investing in early startups",
            ),
        ),
        (
            "Fondo {word}",
            (
                "un fondo de capital privado enfocado en empresas en crecimiento",
                "a private equity fund focused on growing companies",
            ),
        ),
        (
            "{word} Ventures",
            (
                "el brazo de capital de riesgo corporativo de un grupo empresarial antioqueño",
                "the corporate venture arm of an Antioquia business group",
            ),
        ),
    ],
    "miami": [
        (
            "{word} Ventures",
            (
                "un fondo de capital de riesgo que invierte en startups latinoamericanas que entran a Estados Unidos",
                "a venture fund investing in Latin American startups entering the United States",
            ),
        ),
        (
            "{word} Capital Partners",
            (
                "una firma de crecimiento que lidera rondas serie A y B",
                "a growth firm leading Series A and B rounds",
            ),
        ),
        (
            "{word} Angels",
            (
                "un grupo de inversionistas ángel del sur de la Florida",
                "a group of South Florida angel investors",
            ),
        ),
        (
            "{word} Family Office",
            (
                "una oficina familiar que invierte en tecnología y bienes raíces",
                "a family office investing in technology and real estate",
            ),
        ),
    ],
}
INVESTOR_TICKETS: list[Pair] = [
    ("Sus tickets van de USD 50.000 a 250.000.", "Its tickets range from USD 50,000 to 250,000."),
    (
        "Invierte entre USD 250.000 y 1 millón por compañía.",
        "It invests between USD 250,000 and 1 million per company.",
    ),
    (
        "Lidera rondas de hasta USD 3 millones y reserva capital para seguimiento.",
        "It leads rounds of up to USD 3 million and keeps capital for follow-ons.",
    ),
    (
        "Coinvierte con fondos locales en rondas de COP 500 a 2.000 millones.",
        "It co-invests with local funds in rounds of COP 500 million to 2 billion.",
    ),
]

CORPORATE_KINDS: dict[str, list[tuple[str, str, Pair]]] = {
    "medellin": [
        (
            "Textiles {word}",
            "manufacturing",
            (
                "una empresa textil con plantas en el Valle de Aburrá que busca proveedores de tecnología para su cadena de suministro",
                "a textile company with plants in the Aburrá Valley looking for technology suppliers for its supply chain",
            ),
        ),
        (
            "Grupo {word}",
            "commerce",
            (
                "un grupo de comercio minorista con tiendas en todo el país y un programa de innovación abierta",
                "a retail group with stores across the country and an open innovation program",
            ),
        ),
        (
            "Alimentos {word}",
            "agritech",
            (
                "una procesadora de alimentos que compra a miles de productores y quiere digitalizar sus compras",
                "a food processor buying from thousands of growers that wants to digitize its sourcing",
            ),
        ),
        (
            "Energía {word} S.A. E.S.P.",
            "energy",
            (
                "una empresa de servicios públicos que pilotea soluciones de medición inteligente",
                "a utility piloting smart metering solutions",
            ),
        ),
        (
            "Constructora {word}",
            "proptech",
            (
                "una constructora de vivienda y oficinas que prueba materiales y métodos de obra nuevos",
                "a housing and office builder testing new materials and construction methods",
            ),
        ),
        (
            "Clínica {word}",
            "healthtech",
            (
                "una red de clínicas que abre sus servicios a pilotos de salud digital",
                "a network of clinics opening its services to digital health pilots",
            ),
        ),
    ],
    "miami": [
        (
            "{word} Logistics",
            "logistics",
            (
                "un operador logístico del puerto y el aeropuerto de Miami con rutas a América Latina",
                "a logistics operator at Miami's port and airport with routes to Latin America",
            ),
        ),
        (
            "{word} Health System",
            "healthtech",
            (
                "un sistema hospitalario que busca startups de telemedicina y analítica clínica",
                "a hospital system looking for telemedicine and clinical analytics startups",
            ),
        ),
        (
            "{word} Hospitality Group",
            "tourism",
            (
                "un grupo hotelero que compra tecnología para la experiencia de sus huéspedes",
                "a hotel group buying technology for its guest experience",
            ),
        ),
        (
            "{word} Trade Partners",
            "commerce",
            (
                "un importador y distribuidor de alimentos latinoamericanos en Estados Unidos",
                "an importer and distributor of Latin American foods in the United States",
            ),
        ),
        (
            "{word} Bank",
            "fintech",
            (
                "un banco comercial con clientes en ambos lados del corredor entre Miami y Colombia",
                "a commercial bank with clients on both sides of the corridor between Miami and Colombia",
            ),
        ),
        (
            "{word} Media",
            "creative",
            (
                "un grupo de medios en español que contrata producción creativa y tecnología",
                "a Spanish-language media group that hires creative production and technology",
            ),
        ),
    ],
}

SERVICE_KINDS: dict[str, list[tuple[str, str, Pair]]] = {
    "medellin": [
        (
            "{surname} & {surname2} Abogados",
            "professional_services",
            (
                "una firma de abogados que constituye sociedades SAS, tramita el NIT y el RUT ante la DIAN y asesora contratos laborales para empresas extranjeras",
                "a law firm that incorporates SAS companies, obtains NIT and RUT tax IDs from the DIAN and advises foreign companies on employment contracts",
            ),
        ),
        (
            "{surname} Contadores Asociados",
            "professional_services",
            (
                "una firma de contadores y revisores fiscales que lleva la contabilidad y los impuestos de empresas que llegan a Colombia",
                "an accounting and statutory audit firm that keeps the books and files taxes for companies arriving in Colombia",
            ),
        ),
        (
            "Banco {word}",
            "fintech",
            (
                "un banco con una mesa especializada en abrir cuentas a empresas extranjeras y manejar divisas",
                "a bank with a desk that opens accounts for foreign companies and handles foreign exchange",
            ),
        ),
        (
            "{word} Visas y Migración",
            "professional_services",
            (
                "una firma de asesores migratorios que tramita visas de trabajo e inversionista en Colombia",
                "a firm of immigration advisers handling work and investor visas in Colombia",
            ),
        ),
        (
            "{word} Talento",
            "professional_services",
            (
                "una firma de selección de talento tecnológico bilingüe en Medellín",
                "a recruiting firm for bilingual technology talent in Medellín",
            ),
        ),
        (
            "Oficinas {word}",
            "proptech",
            (
                "un operador de oficinas flexibles y espacios de coworking en El Poblado y el Distrito de Innovación",
                "an operator of flexible offices and coworking spaces in El Poblado and the Innovation District",
            ),
        ),
    ],
    "miami": [
        (
            "{surname} {surname2} LLP",
            "professional_services",
            (
                "una firma de abogados que constituye LLC y C corporations, registra el EIN ante el IRS y prepara peticiones de visa E-2 y L-1",
                "a law firm that forms LLCs and C corporations, registers the EIN with the IRS and prepares E-2 and L-1 visa petitions",
            ),
        ),
        (
            "{surname} CPA Group",
            "professional_services",
            (
                "una firma de contadores públicos certificados que maneja impuestos, nómina y precios de transferencia en Estados Unidos para empresas latinoamericanas",
                "a firm of certified public accountants handling US taxes, payroll and transfer pricing for Latin American companies",
            ),
        ),
        (
            "{word} Immigration Advisors",
            "professional_services",
            (
                "una firma de asesores migratorios para fundadores, inversionistas y personal especializado que se muda a Estados Unidos",
                "a firm of immigration advisers for founders, investors and specialized staff moving to the United States",
            ),
        ),
        (
            "{word} Commercial Bank",
            "fintech",
            (
                "un banco comercial que abre cuentas empresariales a compañías de capital extranjero",
                "a commercial bank that opens business accounts for foreign-owned companies",
            ),
        ),
        (
            "{word} Workspace",
            "proptech",
            (
                "un espacio de trabajo con puestos flexibles y oficinas privadas en Brickell y Wynwood",
                "a workspace with flexible desks and private offices in Brickell and Wynwood",
            ),
        ),
        (
            "{word} Talent Partners",
            "professional_services",
            (
                "un servicio de selección y empleador de registro para contratar en la Florida",
                "a recruiting and employer-of-record service for hiring in Florida",
            ),
        ),
    ],
}

UNIVERSITY_KINDS: dict[str, list[tuple[str, Pair]]] = {
    "medellin": [
        (
            "Universidad Tecnológica de {word}",
            (
                "una universidad con programas de ingeniería y un centro de transferencia de tecnología",
                "a university with engineering programs and a technology transfer office",
            ),
        ),
        (
            "Instituto de Investigación {word}",
            (
                "un centro de investigación aplicada en biotecnología y nuevos materiales",
                "an applied research center in biotechnology and new materials",
            ),
        ),
        (
            "Centro de Ciencia de Datos {word}",
            (
                "un laboratorio universitario de ciencia de datos que hace proyectos con la industria",
                "a university data science lab running projects with industry",
            ),
        ),
        (
            "Escuela de Negocios {word}",
            (
                "una escuela de negocios con programas de emprendimiento e internacionalización",
                "a business school with entrepreneurship and internationalization programs",
            ),
        ),
    ],
    "miami": [
        (
            "{word} Institute of Technology",
            (
                "un instituto tecnológico con laboratorios de robótica, energía y resiliencia costera",
                "a technology institute with labs in robotics, energy and coastal resilience",
            ),
        ),
        (
            "{word} College of Business",
            (
                "una facultad de negocios con un programa de emprendimiento latinoamericano",
                "a business college running a Latin American entrepreneurship program",
            ),
        ),
        (
            "{word} Marine Research Lab",
            (
                "un laboratorio que estudia ecosistemas costeros, calidad del agua y riesgo climático",
                "a research lab studying coastal ecosystems, water quality and climate risk",
            ),
        ),
    ],
}

GOVERNMENT_KINDS: dict[str, list[tuple[str, Pair]]] = {
    "medellin": [
        (
            "Oficina de Internacionalización {word}",
            (
                "una oficina pública que acompaña a las empresas locales en su salida a mercados externos",
                "a public office helping local companies reach foreign markets",
            ),
        ),
        (
            "Corporación de Empleo {word}",
            (
                "una entidad que forma y vincula talento para las empresas del Distrito de Innovación",
                "an agency that trains and places talent for Innovation District companies",
            ),
        ),
    ],
    "miami": [
        (
            "{word} Trade & Investment Office",
            (
                "una oficina pública que atrae inversión extranjera al sur de la Florida",
                "a public office that attracts foreign investment to South Florida",
            ),
        ),
        (
            "{word} Economic Development Council",
            (
                "un consejo del condado que apoya a las empresas que crean empleo en la región",
                "a county council that supports companies creating jobs in the region",
            ),
        ),
    ],
}

INNOVATION_KINDS: dict[str, list[tuple[str, Pair]]] = {
    "medellin": [
        (
            "Laboratorio {word}",
            (
                "un laboratorio de prototipado con impresión 3D, electrónica y asesoría técnica",
                "a prototyping lab with 3D printing, electronics and technical advice",
            ),
        ),
        (
            "Coworking {word}",
            (
                "un espacio de coworking con programas de incubación para emprendedores",
                "a coworking space with incubation programs for founders",
            ),
        ),
        (
            "Aceleradora {word}",
            (
                "una aceleradora que prepara startups para levantar capital y salir a otros mercados",
                "an accelerator preparing startups to raise capital and enter other markets",
            ),
        ),
    ],
    "miami": [
        (
            "{word} Launchpad",
            (
                "una aceleradora para startups que entran al mercado estadounidense",
                "an accelerator for startups entering the US market",
            ),
        ),
        (
            "{word} Makerspace",
            (
                "un makerspace con herramientas de fabricación y mentoría en hardware",
                "a makerspace with fabrication tools and hardware mentoring",
            ),
        ),
        (
            "{word} Founders House",
            (
                "una comunidad de fundadores con eventos, puestos de trabajo y horas de oficina con inversionistas",
                "a founders' community with events, desks and investor office hours",
            ),
        ),
    ],
}

# --- sentences ---------------------------------------------------------------------------------

TRACTION: list[Pair] = [
    (
        "Atiende a más de {n} clientes en {region_es}.",
        "It serves more than {n} customers in {region_en}.",
    ),
    (
        "Nació en {year} y hoy tiene un equipo de {team} personas.",
        "It was founded in {year} and now has a team of {team} people.",
    ),
    (
        "Tiene pilotos en curso con {n} empresas de la región.",
        "It is running pilots with {n} companies in the region.",
    ),
    (
        "Sus clientes renuevan año tras año y crece más del {growth} % anual.",
        "Its customers renew year after year and it grows more than {growth}% a year.",
    ),
]
REGIONS: list[Pair] = [
    ("Colombia", "Colombia"),
    ("Antioquia", "Antioquia"),
    ("la Florida", "Florida"),
    ("América Latina", "Latin America"),
    ("Centroamérica y el Caribe", "Central America and the Caribbean"),
]
GOAL_REACH_MIAMI: list[Pair] = [
    (
        "Busca clientes y capital en Miami para entrar al mercado estadounidense.",
        "It is looking for clients and capital in Miami to enter the US market.",
    ),
    (
        "Prepara su aterrizaje en Miami y necesita asesoría legal y tributaria.",
        "It is preparing its landing in Miami and needs legal and tax advice.",
    ),
    (
        "Quiere socios de distribución en el sur de la Florida.",
        "It wants distribution partners in South Florida.",
    ),
]
GOAL_REACH_MEDELLIN: list[Pair] = [
    (
        "Quiere abrir un centro de desarrollo en Medellín y contratar talento local.",
        "It plans to open a development center in Medellín and hire local talent.",
    ),
    (
        "Busca aliados en Medellín para probar su solución en América Latina.",
        "It is looking for partners in Medellín to test its solution in Latin America.",
    ),
    (
        "Evalúa Medellín como base para atender a clientes hispanohablantes.",
        "It is evaluating Medellín as a base to serve Spanish-speaking customers.",
    ),
]
GOAL_LOCAL: list[Pair] = [
    (
        "Busca mentores con experiencia en ventas corporativas.",
        "It is looking for mentors with enterprise sales experience.",
    ),
    (
        "Contrata desarrolladores y analistas de datos.",
        "It is hiring developers and data analysts.",
    ),
    (
        "Prepara una ronda de inversión para el próximo año.",
        "It is preparing an investment round for next year.",
    ),
]

TITLES: dict[str, list[tuple[str, str, str]]] = {
    # organization type: (Spanish feminine, Spanish masculine, English)
    "startup": [
        ("Cofundadora y CEO", "Cofundador y CEO", "Co-founder & CEO"),
        ("Directora de tecnología", "Director de tecnología", "CTO"),
        ("Directora comercial", "Director comercial", "Head of Sales"),
        ("Líder de producto", "Líder de producto", "Product Lead"),
        ("Ingeniera de datos", "Ingeniero de datos", "Data Engineer"),
    ],
    "scaleup": [
        ("CEO", "CEO", "CEO"),
        ("Vicepresidenta de expansión", "Vicepresidente de expansión", "VP of Expansion"),
        ("Directora financiera", "Director financiero", "CFO"),
        ("Gerente de país", "Gerente de país", "Country Manager"),
    ],
    "corporate": [
        ("Gerente de innovación", "Gerente de innovación", "Innovation Manager"),
        (
            "Directora de transformación digital",
            "Director de transformación digital",
            "Head of Digital Transformation",
        ),
        ("Jefa de compras", "Jefe de compras", "Procurement Lead"),
    ],
    "investor": [
        ("Socia directora", "Socio director", "Managing Partner"),
        ("Analista de inversiones", "Analista de inversiones", "Investment Analyst"),
        ("Socia", "Socio", "Partner"),
    ],
    "service_provider": [
        ("Socia", "Socio", "Partner"),
        ("Abogada asociada", "Abogado asociado", "Associate Attorney"),
        ("Gerente de cuenta", "Gerente de cuenta", "Account Manager"),
    ],
    "university": [
        ("Investigadora principal", "Investigador principal", "Principal Investigator"),
        (
            "Directora de transferencia tecnológica",
            "Director de transferencia tecnológica",
            "Technology Transfer Director",
        ),
        ("Profesora", "Profesor", "Professor"),
    ],
    "government": [
        ("Gestora de inversión", "Gestor de inversión", "Investment Officer"),
        ("Directora de programas", "Director de programas", "Program Director"),
        ("Asesora internacional", "Asesor internacional", "International Adviser"),
    ],
    "innovation_center": [
        ("Gerente de comunidad", "Gerente de comunidad", "Community Manager"),
        ("Directora de programas", "Director de programas", "Program Director"),
        ("Mentora residente", "Mentor residente", "Mentor in Residence"),
    ],
}
MENTOR_TITLE = ("Mentora", "Mentor", "Mentor")

BIO_OPENINGS: list[Pair] = [
    (
        "Lleva {years} años trabajando en {field_es}.",
        "Has spent {years} years working in {field_en}.",
    ),
    (
        "Tiene {years} años de experiencia en {field_es}.",
        "Brings {years} years of experience in {field_en}.",
    ),
    (
        "Ha construido equipos de {field_es} durante {years} años.",
        "Has built {field_en} teams for {years} years.",
    ),
]
BIO_CLOSINGS: list[Pair] = [
    (
        "Le interesa conectar empresas de Medellín y Miami.",
        "Interested in connecting companies from Medellín and Miami.",
    ),
    (
        "Acompaña a fundadores en su primera ronda de inversión.",
        "Helps founders through their first investment round.",
    ),
    ("Ha vivido y trabajado en ambos países.", "Has lived and worked in both countries."),
    (
        "Da charlas sobre internacionalización y ventas B2B.",
        "Speaks about internationalization and B2B sales.",
    ),
    (
        "Participa en programas de aceleración como jurado.",
        "Sits on the jury of acceleration programs.",
    ),
]
MENTOR_CLOSINGS: list[Pair] = [
    (
        "Ofrece mentoría sobre estrategia comercial y entrada a Estados Unidos.",
        "Mentors on go-to-market strategy and entering the United States.",
    ),
    (
        "Da mentoría a equipos técnicos sobre arquitectura y escalabilidad.",
        "Mentors technical teams on architecture and scalability.",
    ),
    (
        "Asesora a fundadores sobre levantamiento de capital y gobierno corporativo.",
        "Advises founders on fundraising and corporate governance.",
    ),
    (
        "Ayuda a startups a preparar su aterrizaje en Medellín.",
        "Helps startups prepare their landing in Medellín.",
    ),
]

CITIES = {
    "medellin": ["Medellín"] * 8 + ["Envigado", "Itagüí", "Sabaneta", "Bello", "Rionegro"],
    "miami": ["Miami"] * 6
    + ["Miami Beach", "Coral Gables", "Doral", "Fort Lauderdale", "Aventura"],
}
MEDELLIN_STREETS = [
    "Carrera 43A",
    "Calle 10",
    "Carrera 52",
    "Calle 67",
    "Carrera 70",
    "Calle 33",
    "Avenida El Poblado",
    "Carrera 65",
]
MIAMI_STREETS = [
    "Brickell Ave",
    "NW 2nd Ave",
    "Biscayne Blvd",
    "Ponce de Leon Blvd",
    "NW 25th St",
    "Collins Ave",
    "Coral Way",
    "NW 36th St",
]
