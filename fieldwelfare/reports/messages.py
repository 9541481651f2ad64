"""The reports' words (Italian first, English), added to the one catalogue."""

from __future__ import annotations

from fieldwelfare.i18n import register

MESSAGES: dict[str, tuple[str, str]] = {
    "report.title.needs": ("Bisogni", "Needs"),
    "report.title.referrals": ("Invii", "Referrals"),
    "report.title.reasons": ("Motivi ed esiti", "Reasons and outcomes"),
    "report.title.capacity": ("Capacità e bisogni aperti", "Capacity and open needs"),
    "report.title.directory": ("Organizzazioni", "Organisations"),
    "report.title.about": ("Leggimi", "About"),
    "report.total": ("Totale", "Total"),
    "report.unknown": ("non indicato", "not given"),
    "report.other": ("altri motivi (testo libero non pubblicato)",
                     "other (free text not published)"),
    "report.yes": ("sì", "yes"),
    "report.no": ("no", "no"),
    "report.target.volunteer": ("Volontario", "Volunteer"),
    "report.meta.report": ("Report", "Report"),
    "report.meta.period": ("Periodo", "Period"),
    "report.meta.period_value": ("dal {start} al {end}", "from {start} to {end}"),
    "report.meta.by": ("Dettaglio", "Breakdown"),
    "report.meta.source": ("Fonte", "Source"),
    "report.meta.scope": ("Copertura", "Coverage"),
    "report.meta.scope_hub": (
        "hub {source}: tutti i dati del consorzio ricevuti dall'hub",
        "hub {source}: the whole consortium's data received by the hub"),
    "report.meta.scope_device": (
        "dispositivo {source}: solo i dati presenti su questo dispositivo, non l'intero "
        "consorzio",
        "device {source}: only the data held on this device, not the whole consortium"),
    "report.meta.generated": ("Creato il", "Generated at"),
    "report.meta.rule": ("Riservatezza", "Confidentiality"),
    "report.meta.rule_text": (
        "solo dati aggregati, nessun nome e nessun testo libero. I conteggi da 1 a {below} "
        "sono mostrati come <{n}; le celle '*' sono nascoste perché i totali non "
        "permettano di ricalcolare una cella <{n} (soppressione complementare). Mediane e "
        "ore calcolate su meno di {n} persone: <{n}. Soglia {n} (impostata all'hub, mai "
        "sotto 3).",
        "aggregates only, no names and no free text. Counts from 1 to {below} are shown as "
        "<{n}; cells shown as '*' are hidden so that totals cannot give back a <{n} cell "
        "(complementary suppression). Medians and hours over fewer than {n} people: <{n}. "
        "Threshold {n} (set at the hub, never below 3)."),
    "report.meta.rule_none": (
        "conta solo organizzazioni (nessuna persona): nessuna cella nascosta.",
        "counts organisations only (no person): no cell is hidden."),
    "report.meta.definitions": ("Definizioni", "Definitions"),
    "report.def.needs": (
        "Bisogni aperti nel periodo (data di apertura) e il loro stato oggi: soddisfatti, "
        "chiusi non soddisfatti, ancora aperti (aperti o in corso). Mediana dei giorni "
        "dall'apertura al primo invio e dall'apertura alla chiusura come soddisfatto.",
        "Needs opened in the period (opening date) and their status today: met, closed "
        "unmet, still open (open or in progress). Median days from opening to the first "
        "referral and from opening to closing as met."),
    "report.def.referrals": (
        "Invii creati nel periodo: proposti (tutti), arrivati a inviato, arrivati ad "
        "accettato; stato oggi: in corso (proposto, inviato, accettato, in corso), "
        "completati, rifiutati, annullati. Mediana dei giorni dall'invio alla risposta "
        "(accettato o rifiutato) e dalla creazione al completamento. Motivi ed esiti: "
        "un testo compare solo se scritto identico da almeno {n} invii.",
        "Referrals created in the period: proposed (all), reached sent, reached accepted; "
        "status today: in flight (proposed, sent, accepted, in progress), completed, "
        "declined, cancelled. Median days from sent to the answer (accepted or declined) "
        "and from creation to completion. Reasons and outcomes: a text appears only when "
        "at least {n} referrals wrote exactly it."),
    "report.def.capacity": (
        "Volontari attivi (per comune servito e competenza; un volontario conta in ogni "
        "riga che copre, il totale li conta una volta), ore settimanali disponibili nella "
        "settimana della data finale, bisogni aperti oggi (aperti o in corso) per comune e "
        "categoria. Scopertura: più bisogni aperti che volontari.",
        "Active volunteers (by municipality served and skill; a volunteer counts in every row "
        "they cover, the total counts them once), weekly hours available in the week of "
        "the end date, needs open today (open or in progress) by municipality and category. "
        "Gap: more open needs than volunteers."),
    "report.def.directory": (
        "Organizzazioni per tipo, categoria offerta e comune servito (una organizzazione "
        "conta in ogni riga che copre, il totale la conta una volta).",
        "Organisations by kind, category offered and municipality served (an organisation "
        "counts in every row it covers, the total counts it once)."),
    "report.err.name": ("report sconosciuto '{name}'; report disponibili: {allowed}",
                        "unknown report '{name}'; reports: {allowed}"),
    "report.err.by": ("by: '{value}' non ammesso per questo report; ammessi: {allowed}",
                      "by: '{value}' not allowed for this report; allowed: {allowed}"),
    "report.err.by_twice": ("by: ogni dettaglio una volta sola", "by: each breakdown once"),
    "report.err.period": ("to: la data finale è prima di quella iniziale",
                          "to: the end date is before the start date"),
    "report.err.threshold_min": (
        "threshold: {value} non ammesso, la soglia minima è {min}",
        "threshold: {value} not allowed, the lowest threshold is {min}"),
    "report.err.threshold_low": (
        "threshold: {value} è sotto la soglia dell'hub ({min})",
        "threshold: {value} is below the hub's threshold ({min})"),
}

_COLUMNS: dict[str, tuple[str, str]] = {
    "comune": ("Comune", "Municipality"), "ambito": ("Ambito", "District"),
    "area": ("Area", "Policy area"), "category": ("Categoria", "Category"),
    "month": ("Mese", "Month"), "quarter": ("Trimestre", "Quarter"),
    "target": ("Destinatario", "Referred to"), "kind": ("Tipo", "Kind"),
    "opened": ("Aperti", "Opened"), "met": ("Soddisfatti", "Met"),
    "closed_unmet": ("Chiusi non soddisfatti", "Closed unmet"),
    "still_open": ("Ancora aperti", "Still open"),
    "median_days_to_referral": ("Giorni al primo invio (mediana)",
                                "Days to first referral (median)"),
    "median_days_to_met": ("Giorni a soddisfatto (mediana)", "Days to met (median)"),
    "proposed": ("Proposti", "Proposed"), "sent": ("Inviati", "Sent"),
    "accepted": ("Accettati", "Accepted"), "in_flight": ("In corso", "In flight"),
    "completed": ("Completati", "Completed"), "declined": ("Rifiutati", "Declined"),
    "cancelled": ("Annullati", "Cancelled"),
    "median_days_to_answer": ("Giorni alla risposta (mediana)", "Days to answer (median)"),
    "median_days_to_complete": ("Giorni al completamento (mediana)",
                                "Days to complete (median)"),
    "status": ("Stato", "Status"), "text": ("Testo", "Text"), "count": ("Numero", "Count"),
    "volunteers": ("Volontari attivi", "Active volunteers"),
    "weekly_hours": ("Ore settimanali", "Weekly hours"),
    "open_needs": ("Bisogni aperti", "Open needs"),
    "gap": ("Scopertura", "Gap"), "organisations": ("Organizzazioni", "Organisations"),
}
MESSAGES.update({f"report.col.{k}": v for k, v in _COLUMNS.items()})

register(MESSAGES)
