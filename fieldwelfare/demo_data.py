"""Word lists for the demo data: Italian and foreign names, streets, needs, notes, organisations.

Invented for the demo; no entry names a real person.
"""

from __future__ import annotations

GIVEN_F = (
    "Maria", "Giuseppina", "Anna", "Rosa", "Angela", "Giovanna", "Teresa", "Lucia", "Carla",
    "Franca", "Luigia", "Elena", "Paola", "Francesca", "Chiara", "Giulia", "Sara", "Silvia",
    "Laura", "Valentina", "Federica", "Alessandra", "Marta", "Elisa", "Martina", "Sofia",
    "Aurora", "Ginevra", "Alice", "Beatrice", "Noemi", "Ilaria", "Daniela", "Cristina",
    "Patrizia", "Roberta", "Emanuela", "Mariangela", "Graziella", "Ornella",
)
GIVEN_M = (
    "Giuseppe", "Giovanni", "Antonio", "Mario", "Luigi", "Francesco", "Angelo", "Pietro",
    "Carlo", "Franco", "Ambrogio", "Luca", "Marco", "Andrea", "Paolo", "Stefano", "Alessandro",
    "Matteo", "Davide", "Simone", "Lorenzo", "Leonardo", "Tommaso", "Riccardo", "Gabriele",
    "Emanuele", "Nicolò", "Fabio", "Roberto", "Massimo", "Sergio", "Claudio", "Enrico",
    "Giorgio", "Walter", "Renato", "Gianluca", "Mattia", "Edoardo", "Filippo",
)
FAMILY = (
    "Colombo", "Brambilla", "Sala", "Cattaneo", "Galbiati", "Mauri", "Valsecchi", "Fumagalli",
    "Riva", "Bonfanti", "Panzeri", "Crippa", "Rota", "Villa", "Ferrari", "Rossi", "Bianchi",
    "Airoldi", "Ripamonti", "Spreafico", "Redaelli", "Castelnuovo", "Milani", "Corti",
    "Mazzoleni", "Locatelli", "Anghileri", "Invernizzi", "Gilardi", "Bolis", "Carsana",
    "Arrigoni", "Buzzoni", "Rusconi", "Gerosa", "Pozzi", "Bonacina", "Pirovano", "Frigerio",
    "Longhi", "Perego", "Sirtori", "Vitali", "Tentori", "Magni", "Mariani", "De Capitani",
    "D'Angelo", "Esposito", "Russo", "Romano", "Greco", "Conti", "Lombardi", "Moretti",
)
FOREIGN: tuple[tuple[str, tuple[str, ...], tuple[str, ...], tuple[str, ...]], ...] = (
    # (language, female given names, male given names, family names)
    ("ar", ("Fatima", "Khadija", "Amina", "Salma"), ("Mohamed", "Youssef", "Hamza", "Rachid"),
     ("El Amrani", "Benali", "Bouzid", "Haddad", "Idrissi")),
    ("ro", ("Ioana", "Elena", "Andreea", "Mihaela"), ("Ion", "Andrei", "Mihai", "Florin"),
     ("Popescu", "Ionescu", "Dumitru", "Stan", "Munteanu")),
    ("sq", ("Elira", "Arjola", "Blerina", "Klea"), ("Arben", "Ilir", "Gentian", "Erion"),
     ("Hoxha", "Shehu", "Gjoka", "Leka", "Dervishi")),
    ("uk", ("Olena", "Natalia", "Iryna", "Oksana"), ("Oleksandr", "Andriy", "Taras", "Dmytro"),
     ("Shevchenko", "Kovalenko", "Bondarenko", "Tkachenko")),
    ("wo", ("Awa", "Fatou", "Aminata", "Mariama"), ("Mamadou", "Ousmane", "Cheikh", "Moussa"),
     ("Diop", "Ndiaye", "Fall", "Sow", "Gueye")),
    ("es", ("Rosa", "Carmen", "Lucía", "Milagros"), ("José", "Luis", "Jorge", "Carlos"),
     ("Quispe", "Flores", "Huamán", "Mendoza", "Rojas")),
    ("ur", ("Ayesha", "Sana", "Hina", "Nadia"), ("Imran", "Bilal", "Asif", "Usman"),
     ("Khan", "Hussain", "Ahmed", "Iqbal")),
)
STREETS = (
    "Via Roma", "Via Garibaldi", "Via Mazzini", "Via Manzoni", "Via Cavour", "Via Dante",
    "Via XXV Aprile", "Via Papa Giovanni XXIII", "Via Don Minzoni", "Corso Matteotti",
    "Via Volta", "Via della Vittoria", "Via San Giovanni", "Via ai Poggi", "Via per Civate",
    "Via dei Mille", "Piazza della Chiesa", "Via Resegone", "Via Grigna", "Via Lungolago",
    "Via Stoppani", "Via Belvedere", "Via alle Fornaci", "Via Monte Barro", "Via Promessi Sposi",
)
SAINTS = (
    "San Nicolò", "San Giovanni Battista", "Sant'Ambrogio", "San Martino", "San Giorgio",
    "Santa Maria Assunta", "San Lorenzo", "Sant'Antonio Abate", "San Michele", "San Pietro",
)
OPERATORS = (
    "Anna Bonfanti", "Luca Redaelli", "Chiara Spreafico", "Marco Anghileri", "Sara Invernizzi",
)

ORG_NAMES: dict[str, tuple[str, ...]] = {
    "municipality": ("Comune di {c} - Servizi sociali",),
    "odv": ("ODV Amici di {c}", "ODV Il Faro", "ODV Buon Vicinato {c}", "ODV La Rete",
            "ODV Insieme per {c}", "ODV Mani Aperte"),
    "aps": ("APS La Lanterna", "APS Il Cortile di {c}", "APS Tempo Insieme", "APS Ponti"),
    "social_cooperative": ("Cooperativa sociale Il Sentiero", "Cooperativa sociale La Sorgente",
                           "Cooperativa sociale Arcobaleno", "Cooperativa sociale Il Germoglio"),
    "social_enterprise": ("Impresa sociale Orizzonte Comune", "Impresa sociale Filo Rosso"),
    "health_authority": ("Casa di Comunità di {c}", "Consultorio familiare di {c}"),
    "parish": ("Parrocchia {s} - {c}", "Caritas parrocchiale {s} - {c}"),
    "school": ("Istituto Comprensivo di {c}", "Scuola primaria di {c}"),
    "other": ("Centro anziani di {c}", "Gruppo Alpini di {c}", "Banco di solidarietà {c}"),
}
ORG_CATEGORIES: dict[str, tuple[str, ...]] = {
    "municipality": ("financial_support", "housing", "job_orientation", "transport"),
    "odv": ("transport", "medical_escort", "companionship", "shopping", "meals"),
    "aps": ("digital_support", "homework_help", "companionship", "other"),
    "social_cooperative": ("meals", "housing", "job_orientation", "medical_escort"),
    "social_enterprise": ("job_orientation", "small_repairs", "digital_support"),
    "health_authority": ("medical_escort", "other"),
    "parish": ("meals", "shopping", "financial_support", "companionship"),
    "school": ("homework_help", "digital_support"),
    "other": ("companionship", "small_repairs", "shopping"),
}

CATEGORY_AREAS: dict[str, tuple[str, ...]] = {
    "transport": ("elderly", "disability", "multi"),
    "shopping": ("elderly", "disability", "poverty"),
    "companionship": ("elderly", "disability", "multi"),
    "meals": ("elderly", "poverty", "addiction"),
    "digital_support": ("elderly", "migrants", "multi"),
    "homework_help": ("family_minors", "migrants"),
    "medical_escort": ("elderly", "disability", "addiction"),
    "small_repairs": ("elderly", "disability", "poverty"),
    "job_orientation": ("poverty", "migrants", "addiction"),
    "housing": ("poverty", "migrants", "family_minors"),
    "financial_support": ("poverty", "family_minors", "migrants"),
    "other": ("multi", "family_minors", "addiction"),
}
NEED_TEXTS: dict[str, tuple[str, ...]] = {
    "transport": (
        "Serve un passaggio il martedì mattina per il centro diurno.",
        "Accompagnamento in auto al mercato e ritorno, non guida più.",
        "Trasporto settimanale alla dialisi all'ospedale Manzoni.",
    ),
    "shopping": (
        "Non riesce a fare la spesa da sola dopo la caduta: serve aiuto una volta a settimana.",
        "Spesa e ritiro dei farmaci in farmacia, vive da solo al terzo piano senza ascensore.",
    ),
    "companionship": (
        "Vive sola dalla morte del marito; chiede compagnia e una passeggiata qualche pomeriggio.",
        "Segnalato isolamento: telefonate e visite di compagnia due volte a settimana.",
    ),
    "meals": (
        "Pasti a domicilio per il periodo di convalescenza.",
        "Famiglia in difficoltà: pacco alimentare e pasti caldi per i bambini.",
    ),
    "digital_support": (
        "Aiuto per SPID, fascicolo sanitario e prenotazioni online.",
        "Non sa usare lo smartphone per le videochiamate con i figli all'estero.",
    ),
    "homework_help": (
        "Aiuto compiti per due ragazzi delle medie, la mamma lavora fino a sera.",
        "Sostegno allo studio in italiano per un ragazzo arrivato da poco.",
    ),
    "medical_escort": (
        "Accompagnamento alle visite di controllo in ospedale a Lecco.",
        "Serve qualcuno che la accompagni alla visita oculistica e aspetti con lei.",
    ),
    "small_repairs": (
        "Rubinetto che perde e tapparella bloccata: piccoli lavori in casa.",
        "Montare i maniglioni in bagno per evitare cadute.",
    ),
    "job_orientation": (
        "Cerca lavoro dopo la chiusura della ditta: curriculum e centro per l'impiego.",
        "Orientamento al lavoro e corso di italiano per adulti.",
    ),
    "housing": (
        "Sfratto per morosità in corso, cerca una soluzione abitativa.",
        "Casa umida e troppo piccola per la famiglia di cinque persone.",
    ),
    "financial_support": (
        "Bollette arretrate: richiesta di contributo e aiuto con la domanda ISEE.",
        "Reddito insufficiente dopo la separazione, due figli minori.",
    ),
    "other": (
        "Segnalazione del medico di base: situazione da approfondire con la famiglia.",
        "Richiesta di informazioni sui servizi del territorio.",
    ),
}
VISIT_NOTES = (
    "Visita domiciliare: casa in ordine, la signora appare serena ma stanca.",
    "Colloquio con la figlia, preoccupata per le cadute ripetute.",
    "Situazione stabile; ricordare il rinnovo della domanda di contributo.",
    "Riferisce difficoltà a gestire i farmaci; concordato controllo settimanale.",
    "Presente il vicino di casa che aiuta con la spesa.",
    "Bambini seguiti dalla scuola; la madre chiede aiuto per i compiti.",
    "Appartamento freddo, caldaia guasta da una settimana.",
    "Primo colloquio: raccolte informazioni su rete familiare e reddito.",
    "Telefonata di verifica: la situazione è migliorata dopo l'attivazione del volontario.",
    "Consegnata l'informativa privacy e spiegato come verranno usati i dati.",
)
REFERRAL_NOTES = {
    "sent": "Inviato dopo telefonata di conferma.",
    "accepted": "Il volontario ha dato disponibilità.",
    "in_progress": "Primo intervento svolto.",
}
OUTCOMES = (
    "Accompagnamenti svolti regolarmente per tre mesi.",
    "Bisogno risolto; la persona è soddisfatta.",
    "Attivata rete di vicinato, intervento concluso.",
)
DECLINE_REASONS = (
    "Non disponibile nei giorni richiesti.",
    "Troppo lontano dal proprio comune.",
    "Già impegnato con altre due persone.",
)
CANCEL_REASONS = (
    "La famiglia si è organizzata da sola.",
    "La persona è stata ricoverata.",
    "Bisogno coperto dal servizio comunale.",
)
