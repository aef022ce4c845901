export {
  addDays,
  addMonths,
  isIsoDay,
  addWorkingDays,
  dayInCity,
  deadlineEndDay,
  endOfCityDay,
  startOfCityDay,
  isPublicHoliday,
  isWorkingDay,
  nextWorkingDayFrom,
  isoInCity,
} from './calendar.js'
