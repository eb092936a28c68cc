/* community-labels.js — the public page's plain-words topics, [English, Welsh] (from
 * assets/needs.json and locales/{en,cy} by tests/console/gen-community-labels.mjs; the
 * console test checks they still match). Urgent needs are one topic, "urgent". */
window.HUB_COMMUNITY_LABELS = {
  domains: {
    housing: ["Somewhere to live","Rhywle i fyw"],
    health: ["Health and wellbeing","Iechyd a lles"],
    benefits: ["Money and bills","Arian a biliau"],
    none: ["Something else","Rhywbeth arall"]
  },
  topics: {
    eviction: ["Keeping your home","Cadw eich cartref"],
    somewhere_to_live: ["Somewhere to live","Rhywle i fyw"],
    council_housing: ["Council and housing association homes","Tai cyngor a chymdeithas dai"],
    rent_arrears: ["Catching up on rent","Dal i fyny efo'r rhent"],
    mortgage_arrears: ["Keeping up with the mortgage","Dal i fyny efo'r morgais"],
    repairs: ["Repairs at home","Trwsio pethau yn y cartref"],
    damp_mould: ["Damp and mould","Lleithder a llwydni"],
    landlord_problems: ["Sorting things out with your landlord","Datrys pethau efo'ch landlord"],
    neighbour_problems: ["Getting on with neighbours","Dod ymlaen efo cymdogion"],
    overcrowding: ["More space at home","Mwy o le gartref"],
    home_adaptations: ["Making home easier to get around","Gwneud y cartref yn haws i symud o gwmpas"],
    housing_general: ["Your home","Eich cartref"],
    doctor_gp: ["Seeing a doctor","Gweld meddyg"],
    dentist: ["Seeing a dentist","Gweld deintydd"],
    mental_health: ["Talking about how you feel","Siarad am sut dach chi'n teimlo"],
    drugs_alcohol: ["Drink, drugs or gambling","Yfed, cyffuriau neu gamblo"],
    caring_for_someone: ["Looking after someone","Gofalu am rywun"],
    help_at_home: ["Help at home","Help gartref"],
    disability_support: ["Support with a disability or condition","Cymorth efo anabledd neu gyflwr"],
    pregnancy_baby: ["Pregnancy and baby","Beichiogrwydd a babi"],
    loneliness: ["Company and getting out","Cwmni a mynd allan"],
    health_general: ["Your health","Eich iechyd"],
    universal_credit: ["Universal Credit","Credyd Cynhwysol"],
    disability_benefits: ["PIP and disability payments","PIP a thaliadau anabledd"],
    housing_benefit: ["Help paying the rent","Help i dalu'r rhent"],
    council_tax: ["Council tax","Treth y cyngor"],
    debt: ["Money you owe","Delio efo dyledion"],
    energy_bills: ["Gas, electric and water bills","Biliau nwy, trydan a dŵr"],
    food_support: ["Food and food vouchers","Bwyd a thalebau bwyd"],
    benefit_stopped: ["Payments stopped or cut","Taliadau wedi stopio neu wedi'u torri"],
    pension: ["Pensions","Pensiynau"],
    work_and_pay: ["Work and pay","Gwaith a chyflog"],
    money_general: ["Money and bills","Arian a biliau"],
    urgent: ["Help straight away","Help ar frys"]
  }
};
